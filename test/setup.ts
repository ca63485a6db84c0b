// The bundler prints one summary line per synth. Keep test output readable: swallow those lines only.
const write = process.stderr.write.bind(process.stderr);
process.stderr.write = ((chunk: any, ...rest: any[]) => {
  if (typeof chunk === 'string' && chunk.startsWith('cdk-lambda-kit: ')) {
    return true;
  }
  return (write as any)(chunk, ...rest);
}) as typeof process.stderr.write;
