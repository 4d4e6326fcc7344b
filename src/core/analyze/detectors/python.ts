import type { Detection, DetectorContext, Evidence } from '../types.js';
import { offerSessions, packageDir } from './python-extra.js';
import { type Commands, frameworksFrom, guess, isRecord, manifests, offer } from './util.js';

/** pip, uv, poetry, pipenv and pdm projects; pytest/tox/nox, ruff/flake8, mypy/pyright, black. */
const FRAMEWORKS: Record<string, string> = {
  django: 'django',
  flask: 'flask',
  fastapi: 'fastapi',
  starlette: 'starlette',
  pytest: 'pytest',
  celery: 'celery',
  streamlit: 'streamlit',
};

type Tool = 'uv' | 'poetry' | 'pipenv' | 'pdm' | 'pip';

function toolOf(
  ctx: DetectorContext,
  pyproject: Record<string, unknown>,
): { tool: Tool; sure: boolean } {
  const t = isRecord(pyproject.tool) ? pyproject.tool : {};
  if (ctx.has('uv.lock') || isRecord(t.uv)) return { tool: 'uv', sure: true };
  if (ctx.has('poetry.lock') || isRecord(t.poetry)) return { tool: 'poetry', sure: true };
  if (ctx.has('Pipfile') || ctx.has('Pipfile.lock')) return { tool: 'pipenv', sure: true };
  if (ctx.has('pdm.lock') || isRecord(t.pdm)) return { tool: 'pdm', sure: true };
  return { tool: 'pip', sure: false };
}

function prefix(tool: Tool): string {
  return tool === 'pip' ? '' : `${tool} run `;
}

/** Dependency names (normalized, no extras or versions) from PEP 621, poetry and requirements. */
function dependencyNames(pyproject: Record<string, unknown>, requirements: string[]): Set<string> {
  const names = new Set<string>();
  const add = (spec: string) => {
    const m = /^\s*([A-Za-z0-9][A-Za-z0-9._-]*)/.exec(spec);
    if (m?.[1]) names.add(m[1].toLowerCase().replace(/_/g, '-'));
  };
  const project = isRecord(pyproject.project) ? pyproject.project : {};
  for (const d of Array.isArray(project.dependencies) ? project.dependencies : [])
    if (typeof d === 'string') add(d);
  const optional = isRecord(project['optional-dependencies'])
    ? project['optional-dependencies']
    : {};
  for (const list of Object.values(optional))
    if (Array.isArray(list)) for (const d of list) if (typeof d === 'string') add(d);
  const groups = isRecord(pyproject['dependency-groups']) ? pyproject['dependency-groups'] : {};
  for (const list of Object.values(groups))
    if (Array.isArray(list)) for (const d of list) if (typeof d === 'string') add(d);
  const tool = isRecord(pyproject.tool) ? pyproject.tool : {};
  const poetry = isRecord(tool.poetry) ? tool.poetry : {};
  for (const key of ['dependencies', 'dev-dependencies']) {
    if (isRecord(poetry[key])) for (const d of Object.keys(poetry[key])) add(d);
  }
  if (isRecord(poetry.group)) {
    for (const g of Object.values(poetry.group))
      if (isRecord(g) && isRecord(g.dependencies))
        for (const d of Object.keys(g.dependencies)) add(d);
  }
  for (const line of requirements)
    if (!line.trim().startsWith('#') && !line.trim().startsWith('-')) add(line);
  return names;
}

export async function detectPython(ctx: DetectorContext): Promise<Detection | null> {
  const markers = [
    'pyproject.toml',
    'setup.py',
    'setup.cfg',
    'requirements.txt',
    'Pipfile',
    'tox.ini',
    'noxfile.py',
    'manage.py',
  ];
  const rootHas = markers.some((m) => ctx.has(m));
  const nested = manifests(ctx, 'pyproject.toml', 50);
  if (!rootHas && nested.length === 0) return null;

  const frameworks = new Set<string>();
  for (const file of nested.filter((f) => f !== 'pyproject.toml')) {
    const doc = await ctx.readToml(file);
    if (doc)
      for (const f of frameworksFrom(dependencyNames(doc, []), FRAMEWORKS)) frameworks.add(f);
  }
  const pyproject =
    (ctx.has('pyproject.toml') ? await ctx.readToml('pyproject.toml') : undefined) ?? {};
  const requirements: string[] = [];
  for (const file of ctx.files.filter((f) => /^requirements[^/]*\.txt$/.test(f))) {
    requirements.push(...((await ctx.readText(file)) ?? '').split('\n'));
  }
  const deps = dependencyNames(pyproject, requirements);
  for (const f of frameworksFrom(deps, FRAMEWORKS)) frameworks.add(f);
  if (!rootHas)
    return { packageManagers: ['pip'], frameworks: [...frameworks], languages: ['Python'] };

  const { tool, sure } = toolOf(ctx, pyproject);
  const run = prefix(tool);
  const toolTable = isRecord(pyproject.tool) ? pyproject.tool : {};
  const setupCfg = (await ctx.readText('setup.cfg')) ?? '';
  const toxIni = (await ctx.readText('tox.ini')) ?? '';
  const commands: Commands = {};

  const pytestConfigured =
    ctx.has('pytest.ini') ||
    ctx.has('conftest.py') ||
    isRecord(toolTable.pytest) ||
    /^\[tool:pytest\]/m.test(setupCfg) ||
    /^\[pytest\]/m.test(toxIni) ||
    deps.has('pytest');
  const hasTestFiles = ctx.files.some((f) => /(^|\/)(test_[^/]*|[^/]*_test)\.py$/.test(f));
  if (pytestConfigured) {
    const evidence: Evidence[] = ctx.has('pytest.ini')
      ? [{ file: 'pytest.ini' }]
      : isRecord(toolTable.pytest)
        ? [{ file: 'pyproject.toml', key: 'tool.pytest' }]
        : /^\[tool:pytest\]/m.test(setupCfg)
          ? [{ file: 'setup.cfg', key: 'tool:pytest' }]
          : /^\[pytest\]/m.test(toxIni)
            ? [{ file: 'tox.ini', key: 'pytest' }]
            : ctx.has('conftest.py')
              ? [{ file: 'conftest.py' }]
              : [];
    offer(
      commands,
      'test',
      guess(`${run}pytest`, 'pytest configuration', 1, sure || tool === 'pip', evidence),
    );
  } else if (ctx.has('manage.py') && deps.has('django'))
    offer(
      commands,
      'test',
      guess(
        `${run}python manage.py test`,
        'manage.py (Django test runner)',
        1,
        sure || tool === 'pip',
      ),
    );
  else if (ctx.has('tox.ini') || isRecord(toolTable.tox))
    offer(commands, 'test', guess('tox', 'tox.ini', 1, true));
  else if (ctx.has('noxfile.py')) offer(commands, 'test', guess('nox', 'noxfile.py', 1, true));
  else if (hasTestFiles)
    offer(commands, 'test', guess(`${run}python -m pytest`, 'test_*.py files', 1, false));

  const ruffToml = ['ruff.toml', '.ruff.toml'].find((f) => ctx.has(f));
  const ruffConfig = isRecord(toolTable.ruff) ? toolTable.ruff : undefined;
  const ruffFile = ruffToml ? ((await ctx.readToml(ruffToml)) ?? {}) : undefined;
  const ruffTable = ruffFile ?? ruffConfig;
  const ruffFrom: Evidence = ruffToml
    ? { file: ruffToml }
    : ruffConfig
      ? { file: 'pyproject.toml', key: 'tool.ruff' }
      : { file: 'pyproject.toml' };
  const ruff = Boolean(ruffTable) || deps.has('ruff');
  if (ruff) {
    // `fix = true` makes `ruff check` rewrite files: a check must not.
    const lintTable = isRecord(ruffTable?.lint) ? ruffTable.lint : {};
    const fixes = ruffTable?.fix === true || lintTable.fix === true;
    const fixKey = ruffTable?.fix === true ? 'fix' : 'lint.fix';
    const evidence: Evidence[] = fixes
      ? [
          ruffToml
            ? { file: ruffToml, key: fixKey }
            : { file: 'pyproject.toml', key: `tool.ruff.${fixKey}` },
        ]
      : [ruffFrom];
    offer(
      commands,
      'lint',
      guess(
        `${run}ruff check${fixes ? ' --no-fix' : ''} .`,
        ruffTable ? 'ruff configuration' : 'ruff dependency',
        1,
        true,
        evidence,
        fixes ? ['the ruff config sets fix = true: --no-fix keeps the check from editing'] : [],
      ),
    );
  } else if (
    ctx.has('.flake8') ||
    /^\[flake8\]/m.test(setupCfg) ||
    /^\[flake8\]/m.test(toxIni) ||
    deps.has('flake8')
  ) {
    offer(commands, 'lint', guess(`${run}flake8`, 'flake8 configuration', 1, true));
  } else if (ctx.has('.pylintrc') || isRecord(toolTable.pylint) || deps.has('pylint')) {
    offer(commands, 'lint', guess(`${run}pylint .`, 'pylint configuration', 1, false));
  }

  const mypyIni = ['mypy.ini', '.mypy.ini'].find((f) => ctx.has(f));
  const mypyIniText = mypyIni ? ((await ctx.readText(mypyIni)) ?? '') : '';
  const mypyTable = isRecord(toolTable.mypy) ? toolTable.mypy : undefined;
  if (mypyTable || mypyIni || /^\[mypy\]/m.test(setupCfg) || deps.has('mypy')) {
    // `mypy .` overrides a configured `files` list; bare `mypy` reads it.
    const filesKey = mypyTable?.files
      ? { file: 'pyproject.toml', key: 'tool.mypy.files' }
      : mypyIni && /^\s*files\s*=/m.test(mypyIniText)
        ? { file: mypyIni, key: 'files' }
        : /^\[mypy\][^[]*^\s*files\s*=/m.test(setupCfg)
          ? { file: 'setup.cfg', key: 'mypy.files' }
          : undefined;
    const pkg = filesKey ? undefined : packageDir(ctx, pyproject);
    const target = filesKey ? '' : ` ${pkg ?? '.'}`;
    const evidence: Evidence[] = filesKey
      ? [filesKey]
      : [
          mypyTable
            ? { file: 'pyproject.toml', key: 'tool.mypy' }
            : mypyIni
              ? { file: mypyIni }
              : { file: ctx.has('pyproject.toml') ? 'pyproject.toml' : 'setup.cfg' },
        ];
    offer(
      commands,
      'typecheck',
      guess(
        `${run}mypy${target}`,
        'mypy configuration',
        1,
        true,
        evidence,
        filesKey
          ? ['mypy `files` is configured: bare `mypy` checks exactly those']
          : pkg
            ? [`the package directory ${pkg}`]
            : [],
      ),
    );
  } else if (isRecord(toolTable.pyright) || ctx.has('pyrightconfig.json') || deps.has('pyright')) {
    offer(commands, 'typecheck', guess(`${run}pyright`, 'pyright configuration', 1, true));
  }

  // black only when configured, or when it is the only formatter around: a configured ruff
  // wins over black merely listed as a dependency (of a docs group, say).
  const ruffFormats =
    ruffTable !== undefined && (isRecord(ruffTable.format) || !isRecord(toolTable.black));
  if (isRecord(toolTable.black) && !isRecord(ruffTable?.format))
    offer(
      commands,
      'format',
      guess(`${run}black .`, 'black configuration', 1, true, [
        { file: 'pyproject.toml', key: 'tool.black' },
      ]),
    );
  else if (ruffFormats || (ruff && !deps.has('black')))
    offer(
      commands,
      'format',
      guess(
        `${run}ruff format .`,
        'ruff configuration',
        1,
        true,
        [ruffFrom],
        deps.has('black') ? ['black is only a dependency; ruff is configured'] : [],
      ),
    );
  else if (deps.has('black'))
    offer(commands, 'format', guess(`${run}black .`, 'black dependency', 1, !ruff));

  await offerSessions(ctx, commands, toxIni);

  if (isRecord(pyproject['build-system']) || ctx.has('setup.py')) {
    const build =
      tool === 'uv'
        ? 'uv build'
        : tool === 'poetry'
          ? 'poetry build'
          : tool === 'pdm'
            ? 'pdm build'
            : 'python -m build';
    offer(commands, 'build', guess(build, 'pyproject.toml build-system', 1, tool !== 'pip'));
  }
  const manifest = markers.find((m) => ctx.has(m));
  return {
    packageManagers: [tool],
    manifest,
    frameworks: [...frameworks],
    commands,
    languages: ['Python'],
  };
}
