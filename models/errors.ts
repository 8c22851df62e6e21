// Failures the model layer reports; functions/ maps each code to an HTTP status.
export type ModelErrorCode =
  | 'integrity' // bytes missing or not matching their sha256
  | 'load' // the runtime could not create a session from the bytes
  | 'too_large' // the model cannot fit this isolate's session budget
  | 'input'; // the request's inputs do not fit the model

export class ModelError extends Error {
  readonly code: ModelErrorCode;
  constructor(code: ModelErrorCode, message: string) {
    super(message);
    this.code = code;
  }
}
