/** Thrown inside command actions to end with a given exit code (commander's own exit is off). */
export class ExitRequest extends Error {
  constructor(readonly exitCode: number) {
    super(`exit ${exitCode}`);
  }
}
