import { describe, expect, it } from 'vitest';
import { CommandPolicy, compilePattern, normalize } from '../../src/core/tools/command-policy.js';
import { innerScripts, splitCommands } from '../../src/core/tools/shell-words.js';

const policy = new CommandPolicy({ allow: [], deny: [] });
const denied = (cmd: string, p = policy): string | undefined => {
  const d = p.check(cmd);
  return d.allowed ? undefined : d.reason;
};

describe('shell-words', () => {
  it('splits compound commands, substitutions, subshells and bash -c', () => {
    expect(splitCommands(`a 1 && b "2 3" || c; d | e & f\ng`)).toEqual([
      ['a', '1'],
      ['b', '2 3'],
      ['c'],
      ['d'],
      ['e'],
      ['f'],
      ['g'],
    ]);
    expect(splitCommands(`echo "$(git commit -m 'x')" \`whoami\``)).toEqual([
      ['git', 'commit', '-m', 'x'],
      ['whoami'],
      ['echo', '', ''],
    ]);
    expect(splitCommands(`(cd x && make) 2>&1 > out.log`)).toEqual([['cd', 'x'], ['make']]);
    expect(splitCommands(`bash -c 'git push'`)).toEqual([['bash', '-c', 'git push']]);
    expect(innerScripts(['bash', '-lc', 'git push'])).toEqual(['git push']);
    expect(innerScripts(['eval', 'git', 'stash'])).toEqual(['git stash']);
    expect(innerScripts(['find', '.', '-exec', 'git', 'add', '{}', ';'])).toEqual(['git add {}']);
    expect(splitCommands(`if true; then git stash; fi`)).toEqual([['true'], ['git', 'stash']]);
  });

  it('skips heredoc bodies, comments and redirect targets', () => {
    expect(
      splitCommands(`cat > notes.md <<'EOF'\ngit commit here is text\nEOF\necho done # git push`),
    ).toEqual([['cat'], ['echo', 'done']]);
  });
});

describe('command policy defaults', () => {
  it.each([
    'git commit -m "done"',
    'git push origin main',
    'git reset --hard HEAD~1',
    'git rebase -i main',
    'git checkout main',
    'git switch -c other',
    'git merge feature',
    'git stash',
    'git worktree add ../x',
    'git branch -D old',
    'git tag v1.0',
    'git clean -fdx',
    'sudo apt-get install x',
    'su -c id',
    'rm -rf /',
    'rm -rf ~',
    'rm -fr $HOME',
    'rm -r --no-preserve-root /x',
  ])('denies %s', (cmd) => {
    expect(denied(cmd)).toBeDefined();
  });

  it.each([
    'npm test && git commit -am wip',
    'true; git push',
    'ls | xargs git add && git commit -m x',
    '(cd sub && git reset --hard)',
    'echo $(git stash)',
    'env X=1 git commit -m x',
    'GIT_DIR=.git git commit',
    'git -C ../other commit -m x',
    'git -c user.name=x --no-pager commit',
    '/usr/bin/git push',
    'bash -c "git push"',
    "sh -c 'sudo id'",
    'timeout 10 git push',
    'nohup git rebase main &',
    'eval "git reset --hard"',
    "ls | xargs sh -c 'git stash'",
    'find . -name x -exec git commit -m y \\;',
    'bash -c "bash -c \'sudo id\'"',
  ])('denies inside compound or wrapped form: %s', (cmd) => {
    expect(denied(cmd)).toBeDefined();
  });

  it.each([
    'git status',
    'git diff HEAD',
    'git log --oneline -5',
    'git add -A',
    'git branch',
    'git tag -l',
    'git checkout -- src/a.ts',
    'git restore src/a.ts',
    'git revert --no-commit HEAD',
    'npm test',
    'rm -rf node_modules dist',
    'rm -rf ./build',
    'echo "git commit" > notes.txt',
    "grep -r 'git push' docs",
    'ls ~',
  ])('allows %s', (cmd) => {
    expect(denied(cmd)).toBeUndefined();
  });

  it('says why and what to do instead', () => {
    expect(denied('git commit -m x')).toMatch(
      /mmm .*commits your changes for you when the checks pass/,
    );
    expect(denied('git checkout main')).toMatch(/git restore <file>/);
  });
});

describe('configured patterns', () => {
  it('glob patterns match a command and its arguments; re: patterns search', () => {
    expect(compilePattern('git push')('git push origin main')).toBe(true);
    expect(compilePattern('git push')('git pushx')).toBe(false);
    expect(compilePattern('npm run *')('npm run lint')).toBe(true);
    expect(compilePattern('curl * | sh')('curl x | sh')).toBe(true);
    expect(compilePattern('re:^curl .*example')('curl https://example.com')).toBe(true);
  });

  it('deny patterns add refusals, allow patterns override defaults, deny beats allow', () => {
    const p = new CommandPolicy({
      allow: ['git commit', 'git stash*'],
      deny: ['npm publish', 're:^curl ', 'git stash pop'],
    });
    expect(denied('npm publish --tag next', p)).toMatch(/deny pattern "npm publish"/);
    expect(denied('cd x && curl https://x', p)).toMatch(/re:\^curl/);
    expect(denied('git -C . commit -m x', p)).toBeUndefined();
    expect(denied('git stash list', p)).toBeUndefined();
    expect(denied('git stash pop', p)).toMatch(/deny pattern/);
    expect(denied('git push', p)).toBeDefined();
  });

  it('normalizes wrappers and git global options', () => {
    expect(
      normalize([
        'FOO=1',
        'env',
        '-u',
        'X',
        'BAR=2',
        'nice',
        '-n',
        '5',
        '/usr/bin/git',
        '-C',
        'd',
        'log',
      ]),
    ).toEqual(['git', 'log']);
  });
});
