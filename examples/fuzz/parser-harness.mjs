// An in-process fuzz harness (the Jazzer.js convention: export fuzz(data)), here for a small
// parser of a NAS message's optional TLV IEs. Run it coverage-guided with:
//
//   npx mtcgk fuzz --target examples/fuzz/parser-harness.mjs --proto nas-eps --time 60
//
// A thrown exception, a rejected promise, a time-out or heap growth is a finding; the inputs that
// reached new code are kept in fuzz-out/corpus (one file per input, named by its SHA-1).

/** Optional IEs after a 2-octet EMM header: IEI, length, value. */
export function parseIes(data) {
  const ies = [];
  for (let at = 2; at < data.length; ) {
    const iei = data[at];
    if (iei & 0x80) {
      ies.push({ iei: iei >> 4, value: iei & 0x0f }); // type 1: one octet
      at += 1;
      continue;
    }
    const len = data[at + 1];
    if (len === undefined || at + 2 + len > data.length) throw new RangeError(`IE 0x${iei.toString(16)} runs past the message`);
    ies.push({ iei, value: data.subarray(at + 2, at + 2 + len) });
    at += 2 + len;
  }
  return ies;
}

export function fuzz(data) {
  try {
    parseIes(data);
  } catch (e) {
    if (e instanceof RangeError) return; // the parser's own verdict on a bad message
    throw e;
  }
}
