/** The ceiling server's only "parsing": how many request heads ended in this chunk. */

const END = Buffer.from('\r\n\r\n')

/** Counts head terminators in `chunk`, including one that straddles the previous chunk's last bytes. */
export function countHeads(tail: Buffer, chunk: Buffer): number {
  let n = 0
  if (tail.length > 0) {
    const edge = Buffer.concat([tail, chunk.subarray(0, 3)])
    for (let i = 0; i < tail.length; i++) if (edge.indexOf(END, i) === i) n++
  }
  let at = chunk.indexOf(END)
  while (at !== -1) {
    n++
    at = chunk.indexOf(END, at + 4)
  }
  return n
}

/** The last three bytes of the stream so far (a copy: the chunk's memory may be reused). */
export function nextTail(tail: Buffer, chunk: Buffer): Buffer {
  if (chunk.length >= 3) return Buffer.from(chunk.subarray(chunk.length - 3))
  const joined = Buffer.concat([tail, chunk])
  return Buffer.from(joined.subarray(Math.max(0, joined.length - 3)))
}
