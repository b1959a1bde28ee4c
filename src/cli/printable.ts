/**
 * Text from a file (a preset's title, ids and keys, a path) made safe to
 * print: control characters, which a terminal would obey (an escape sequence
 * can recolour it, move the cursor or set the window title), and the marks
 * that reorder text on screen are shown as escapes instead.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: finding control characters is the point
const UNPRINTABLE = /[\u0000-\u0008\u000a-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;

/** `text` with each control or reordering character shown as `\xNN` or `\u{NNNN}`. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, (c) => {
    const code = c.charCodeAt(0);
    return code < 0x100 ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u{${code.toString(16)}}`;
  });
}
