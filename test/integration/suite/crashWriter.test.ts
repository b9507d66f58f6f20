/**
 * The writer half of the crash-safety driver (test/integration/crashHost.ts). It registers only when
 * QCODER_CRASH_LOG is set, so the ordinary integration run never sees it. Inside the real extension host
 * it chats turn after turn through the extension's API (streamed replies, so sessions are saved mid-stream
 * on every other turn) until the driver kills the host with SIGKILL. After each turn whose save has resolved it appends
 * `committed <session> <question>` to the log with a synchronous write: a line in that file is a turn the
 * extension told the user was stored, which the driver then looks for on disk.
 */
import { appendFileSync } from 'node:fs';
import * as vscode from 'vscode';
import { startQCoder } from '../../support/extensionHost';
import { textChunks } from '../../support/modelServer';
import { crashAnswer } from '../crashText';

const logFile = process.env.QCODER_CRASH_LOG;

if (logFile) {
  const say = (line: string) => appendFileSync(logFile, `${line}\n`);
  describe('crash-writer (real extension host, killed by crashHost.ts)', () => {
    it('chats until the extension host is killed', async function () {
      this.timeout(0);
      // Never closed: the driver kills this extension host, and the next one points the settings at its own server.
      const { api, server } = await startQCoder();
      say(`ready ${process.pid} ${api.sessions.location}`);
      for (let turn = 0; ; turn++) {
        if (api.sessions.active.messages.length >= 8) await vscode.commands.executeCommand('qcoder.newChat');
        const question = `question-${process.pid}-${turn}`;
        // Every other reply streams for ~1.8 s, past the chat's 1 s save interval, so it is also saved mid-stream.
        const delayMs = turn % 2 ? 150 : 15;
        server.enqueue({ kind: 'stream', chunks: textChunks(crashAnswer(question), 400), delayMs });
        await api.chat.send(question);
        const reply = api.sessions.active.messages.at(-1);
        // A turn that did not finish is not committed; say so, so the driver does not wait on it.
        if (reply?.status !== 'complete') throw new Error(`turn ${turn} ended ${reply?.status}: ${reply?.content}`);
        say(`committed ${api.sessions.active.id} ${question}`);
      }
    });
  });
}
