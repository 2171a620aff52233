// The power cut of the reliability tests: a child process runs a script until it prints a mark, then is killed -9.
import { spawn } from 'node:child_process';

/**
 * Starts `script` (run through tsx) with `args`, waits until its output holds `mark`, lets it run `delayMs`
 * more, then SIGKILLs it. Resolves with everything it printed; rejects if it exits on its own first.
 */
export async function killAfterMark(script: string, args: string[], mark: string, delayMs: number): Promise<string> {
  const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes(mark)) setTimeout(resolve, delayMs);
    });
    child.once('exit', (code) => reject(new Error(`child exited on its own with ${code}: ${err}`)));
  });
  child.kill('SIGKILL');
  await new Promise((resolve) => child.once('exit', resolve));
  return out;
}
