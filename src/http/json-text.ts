/**
 * JSON that is already text, sent as it is. Where the text is wanted as a value after all (a
 * JSON.stringify of something holding it), `toJSON` gives the value back, so it is never sent as
 * a quoted string.
 */
export class JsonText {
  constructor(readonly text: string) {}

  toJSON(): unknown {
    return JSON.parse(this.text);
  }
}
