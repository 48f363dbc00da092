import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const fixture = (name: string) => path.join(ROOT, 'test/fixtures/templates', name, 'index.tsx');
const MISSPELLED = fixture('misspelled-slot');
const DECLARED = fixture('declared-slot');

/** Type-checks `files` with the repo's own compiler options (strict, `reelwright` path mapping). */
function typecheck(files: readonly string[]): (file: string) => { code: number; message: string }[] {
  const configPath = path.join(ROOT, 'tsconfig.json');
  const read = ts.readConfigFile(configPath, (p) => ts.sys.readFile(p));
  if (read.error) throw new Error(ts.flattenDiagnosticMessageText(read.error.messageText, '\n'));
  const parsed = ts.parseJsonConfigFileContent(read.config, ts.sys, ROOT, undefined, configPath);
  const program = ts.createProgram({ rootNames: [...files], options: { ...parsed.options, noEmit: true } });
  return (file) => {
    const source = program.getSourceFile(file);
    if (!source) throw new Error(`${file} is not part of the program.`);
    return ts.getPreEmitDiagnostics(program, source).map((d) => ({ code: d.code, message: ts.flattenDiagnosticMessageText(d.messageText, '\n') }));
  };
}

describe('SlotProps (the component props derived from the slots)', () => {
  const diagnosticsOf = typecheck([MISSPELLED, DECLARED]);

  it('rejects a component that reads a misspelled slot and names the misspelling', () => {
    const diagnostics = diagnosticsOf(MISSPELLED);
    expect(diagnostics.length).toBeGreaterThan(0);
    expect(diagnostics.some((d) => d.code === 2339 && /'nmae'/.test(d.message))).toBe(true);
  });

  it('accepts the same template when the component reads the slot it declares', () => {
    expect(diagnosticsOf(DECLARED)).toEqual([]);
  });
});
