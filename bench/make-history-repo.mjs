// Makes a synthetic repository with a long history, fast, through `git fast-import`:
//   node bench/make-history-repo.mjs <dir> [files=10000] [commits=40000]
// The first commit adds every file (TypeScript, Python, Go, Markdown, a package.json and
// its lockfile); each later commit changes one to three files, every tenth one the
// lockfile too. The work tree is checked out at the end, so the directory is a normal
// clone-like repository of `files` files and `commits` commits.
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const kinds = [
  ['ts', (i) => `export function f${i}(x: number): number {\n  return x * ${i};\n}\n`.repeat(6)],
  ['py', (i) => `def f${i}(x):\n    return x * ${i}\n\n`.repeat(8)],
  ['go', (i) => `package p\n\nfunc F${i}(x int) int {\n\treturn x * ${i}\n}\n`.repeat(5)],
  ['md', (i) => `# Note ${i}\n\nSome prose about item ${i}.\n`.repeat(4)],
];

function pathOf(i) {
  const ext = kinds[i % kinds.length][0];
  const dir = `pkg${Math.floor(i / 100)}/${i % 3 === 0 ? 'tests' : 'src'}`;
  return `${dir}/file${i}.${i % 3 === 0 ? `test.${ext}` : ext}`;
}

function bodyOf(i) {
  return kinds[i % kinds.length][1](i);
}

export async function makeHistoryRepo(root, files = 10_000, commits = 40_000) {
  mkdirSync(root, { recursive: true });
  execFileSync('git', ['init', '-q', '-b', 'main', root]);
  const child = spawn('git', ['fast-import', '--quiet', '--done'], {
    cwd: root,
    stdio: ['pipe', 'ignore', 'inherit'],
  });
  const done = new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`git fast-import exited ${code}`)),
    );
  });
  const chunks = [];
  let size = 0;
  const write = async (text) => {
    chunks.push(text);
    size += text.length;
    if (size > 1 << 20) await flush();
  };
  const flush = async () => {
    const data = chunks.join('');
    chunks.length = 0;
    size = 0;
    if (!child.stdin.write(data)) await new Promise((r) => child.stdin.once('drain', r));
  };
  const data = (text) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  const commit = async (n, message, changes) => {
    let out = `commit refs/heads/main\ncommitter Bench <bench@example.com> ${1_700_000_000 + n * 60} +0000\n${data(message)}`;
    for (const [path, content] of changes) out += `M 100644 inline ${path}\n${data(content)}`;
    await write(out);
  };

  const initial = [];
  for (let i = 0; i < files; i++) initial.push([pathOf(i), bodyOf(i)]);
  initial.push([
    'package.json',
    JSON.stringify({
      scripts: { test: 'vitest run', lint: 'eslint .' },
      devDependencies: { vitest: '4' },
    }),
  ]);
  initial.push(['package-lock.json', '{"lockfileVersion":3,"rev":0}\n']);
  await commit(0, 'initial import\n', initial);
  for (let n = 1; n < commits; n++) {
    const changes = [];
    const touched = 1 + (n % 3);
    for (let k = 0; k < touched; k++) {
      // A skewed choice: a few files change often (hotspots), most rarely.
      const i = k === 0 ? (n * 7919) % files : (n % 50) * 13;
      changes.push([pathOf(i), `${bodyOf(i)}// revision ${n}\n`]);
    }
    if (n % 10 === 0) changes.push(['package-lock.json', `{"lockfileVersion":3,"rev":${n}}\n`]);
    await commit(n, `change ${n}\n`, changes);
  }
  await write('done\n');
  await flush();
  child.stdin.end();
  await done;
  execFileSync('git', ['checkout', '-q', '-f', 'main'], { cwd: root });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [dir, files, commits] = process.argv.slice(2);
  if (!dir) {
    console.error('usage: node bench/make-history-repo.mjs <dir> [files=10000] [commits=40000]');
    process.exit(2);
  }
  const t = Date.now();
  await makeHistoryRepo(dir, Number(files ?? 10_000), Number(commits ?? 40_000));
  console.log(`made ${dir} in ${((Date.now() - t) / 1000).toFixed(1)} s`);
}
