/**
 * Ogg pages with a serial number of our choosing. The Vorbis encoder picks
 * a random stream serial number, so the same render gave different bytes on
 * every run (the serial and the page checksum, nothing else); every page is
 * rewritten as it streams by with a serial derived from the seed, and its
 * CRC computed again (RFC 3533: CRC-32, polynomial 0x04c11db7, no
 * reflection, over the page with its CRC field zeroed).
 */
import { concatBytes } from "../core/bytes.ts";

const CAPTURE = [0x4f, 0x67, 0x67, 0x53]; // "OggS"
const HEADER_BYTES = 27;
const SERIAL_AT = 14;
const CRC_AT = 22;
const SEGMENTS_AT = 26;

const CRC_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let i = 0; i < 256; i++) {
    let r = i << 24;
    for (let bit = 0; bit < 8; bit++) r = r & 0x80000000 ? (r << 1) ^ 0x04c11db7 : r << 1;
    table[i] = r >>> 0;
  }
  return table;
})();

/** The Ogg checksum of `page` (its CRC field must be zero). */
export function oggCrc(page: Uint8Array): number {
  let crc = 0;
  for (let i = 0; i < page.length; i++) crc = ((crc << 8) ^ CRC_TABLE[((crc >>> 24) ^ page[i]) & 0xff]) >>> 0;
  return crc;
}

/**
 * Rewrites a stream of Ogg bytes, however it is cut, page by page: `push`
 * returns the whole pages completed so far, with the new serial and CRC.
 */
export class OggSerialRewriter {
  private carry = new Uint8Array(0);

  constructor(private readonly serial: number) {}

  push(bytes: Uint8Array): Uint8Array {
    const data = this.carry.length === 0 ? bytes : concatBytes([this.carry, bytes]);
    let at = 0;
    const pages: Uint8Array[] = [];
    while (data.length - at >= HEADER_BYTES) {
      if (!CAPTURE.every((byte, i) => data[at + i] === byte)) throw new Error("the encoder wrote something that is not an Ogg page");
      const segments = data[at + SEGMENTS_AT];
      if (data.length - at < HEADER_BYTES + segments) break;
      let body = 0;
      for (let i = 0; i < segments; i++) body += data[at + HEADER_BYTES + i];
      const length = HEADER_BYTES + segments + body;
      if (data.length - at < length) break;
      const page = data.slice(at, at + length);
      const view = new DataView(page.buffer);
      view.setUint32(SERIAL_AT, this.serial >>> 0, true);
      view.setUint32(CRC_AT, 0, true);
      view.setUint32(CRC_AT, oggCrc(page), true);
      pages.push(page);
      at += length;
    }
    this.carry = data.slice(at);
    return pages.length === 1 ? pages[0] : concatBytes(pages);
  }

  /** Throws if the stream ended inside a page. */
  finish(): void {
    if (this.carry.length > 0) throw new Error(`the encoder's output ended inside an Ogg page (${this.carry.length} bytes)`);
  }
}
