import { loadTemplate, resolveTemplateEntry, type TemplateDefinition } from '../template/index.js';
import type { ProjectPaths } from './project-paths.js';

/** Resolves `--template <id|path>` inside a project and loads the template in Node. */
export async function loadProjectTemplate(options: { paths: ProjectPaths; template: string }): Promise<{ definition: TemplateDefinition; entry: string }> {
  const entry = await resolveTemplateEntry({ templatesDir: options.paths.templatesDir, id: options.template });
  const { definition } = await loadTemplate({ entry, cacheDir: options.paths.cacheDir });
  return { definition, entry };
}
