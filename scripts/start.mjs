// `npm start`: the Electron app when its binary is installed, otherwise the browser target
// (`callbridge serve`) opened in the system browser. Never goes through a shell, and never
// loads the `electron` package, whose index.js downloads the binary when it is missing.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';

const root = path.resolve(import.meta.dirname, '..');
const electronDir = path.join(root, 'node_modules', 'electron');

// `npm start -- --listen-port 0` arrives here without the `--`; `node scripts/start.mjs --
// …` with it.
const extraArgs = process.argv.slice(2);
if (extraArgs[0] === '--') extraArgs.shift();

/** The executable electron's own index.js would name, or null; never downloads. */
function electronExecutable() {
  const pathFile = path.join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const relative = readFileSync(pathFile, 'utf8').trim();
  if (relative === '') return null;
  const override = process.env['ELECTRON_OVERRIDE_DIST_PATH'];
  const executable = override
    ? path.join(override, relative)
    : path.join(electronDir, 'dist', relative);
  return existsSync(executable) ? executable : null;
}

function defaultProfileDir() {
  const home = os.homedir();
  if (process.platform === 'win32') {
    return path.join(process.env['APPDATA'] ?? path.join(home, 'AppData', 'Roaming'), 'callbridge');
  }
  if (process.platform === 'darwin') {
    return path.join(home, 'Library', 'Application Support', 'callbridge');
  }
  return path.join(process.env['XDG_CONFIG_HOME'] || path.join(home, '.config'), 'callbridge');
}

/** Runs a Node script to completion with our stdio; rejects on a non-zero exit. */
function runNode(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: root, stdio: 'inherit' });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${args.join(' ')} failed (${signal ?? `exit code ${code}`})`));
    });
  });
}

const viteBin = path.join(root, 'node_modules', 'vite', 'bin', 'vite.js');
const buildRenderer = () => runNode([viteBin, 'build']);
const buildElectron = () => runNode([path.join(root, 'scripts', 'build-electron.mjs')]);

/** Signals to us are passed on; we leave when the child does, with its status. */
function supervise(child) {
  for (const signal of ['SIGINT', 'SIGTERM']) {
    process.on(signal, () => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    });
  }
  child.on('error', (error) => {
    console.error(`Could not start ${child.spawnfile}: ${error.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    process.exit(code ?? (signal === null ? 1 : 128 + (os.constants.signals[signal] ?? 0)));
  });
}

/** Only our own loopback page is handed to the system browser. */
function isLocalPage(text) {
  if (!URL.canParse(text)) return false;
  const url = new URL(text);
  return (
    (url.protocol === 'http:' || url.protocol === 'https:') &&
    ['127.0.0.1', 'localhost', '[::1]'].includes(url.hostname)
  );
}

function openInBrowser(url) {
  if (process.env['BROWSER'] === 'none') return;
  const opener = {
    linux: 'xdg-open',
    freebsd: 'xdg-open',
    openbsd: 'xdg-open',
    darwin: 'open',
    win32: 'explorer.exe',
  }[process.platform];
  if (opener === undefined) return;
  try {
    const child = spawn(opener, [url], { detached: true, stdio: 'ignore' });
    child.on('error', () => {});
    child.unref();
  } catch {
    // No browser to open; the URL is on screen.
  }
}

async function startElectron(executable) {
  await buildRenderer();
  await buildElectron();
  supervise(spawn(executable, [root, ...extraArgs], { cwd: root, stdio: 'inherit' }));
}

async function startBrowserTarget() {
  console.log(
    "Electron's binary is not installed (node_modules/electron/dist is missing; it cannot be " +
      'downloaded here) — starting the browser target instead.',
  );
  await buildRenderer();
  const has = (flag) => extraArgs.some((arg) => arg === flag || arg.startsWith(`${flag}=`));
  const args = [path.join(root, 'bin', 'callbridge.mjs'), 'serve'];
  if (!has('--profile')) args.push('--profile', defaultProfileDir());
  if (!has('--ui-port')) args.push('--ui-port', '0');
  args.push(...extraArgs);

  const child = spawn(process.execPath, args, { cwd: root, stdio: ['inherit', 'pipe', 'inherit'] });
  supervise(child);
  let opened = false;
  createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', (line) => {
    process.stdout.write(`${line}\n`);
    const match = /Comms Manager:\s*(\S+)/.exec(line);
    if (!opened && match?.[1] !== undefined && isLocalPage(match[1])) {
      opened = true;
      openInBrowser(match[1]);
    }
  });
}

const executable = electronExecutable();
try {
  await (executable === null ? startBrowserTarget() : startElectron(executable));
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
}
