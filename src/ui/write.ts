/**
 * Write and, when the stream's buffer is full, wait for it to drain, so a fast
 * event stream into a slow pipe does not pile up in memory.
 */
export function writeOut(stream: NodeJS.WritableStream, text: string): Promise<void> | void {
  if (stream.write(text)) return;
  return new Promise((resolve) => {
    const done = (): void => {
      stream.off('drain', done);
      stream.off('close', done);
      stream.off('error', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
    stream.on('error', done);
  });
}
