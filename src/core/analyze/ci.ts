/** CI systems present, from their configuration files. */
const CI_RULES: { name: string; match: (path: string) => boolean }[] = [
  { name: 'github-actions', match: (p) => /^\.github\/workflows\/[^/]+\.ya?ml$/.test(p) },
  { name: 'gitlab-ci', match: (p) => p === '.gitlab-ci.yml' || p === '.gitlab-ci.yaml' },
  { name: 'circleci', match: (p) => /^\.circleci\/config\.ya?ml$/.test(p) },
  { name: 'jenkins', match: (p) => p === 'Jenkinsfile' },
  {
    name: 'azure-pipelines',
    match: (p) => /^azure-pipelines\.ya?ml$/.test(p) || /^\.azure-pipelines\/.+\.ya?ml$/.test(p),
  },
  { name: 'travis', match: (p) => p === '.travis.yml' },
  { name: 'bitbucket-pipelines', match: (p) => p === 'bitbucket-pipelines.yml' },
  { name: 'buildkite', match: (p) => /^\.buildkite\/.+/.test(p) },
  { name: 'drone', match: (p) => p === '.drone.yml' },
  { name: 'appveyor', match: (p) => p === 'appveyor.yml' || p === '.appveyor.yml' },
  {
    name: 'woodpecker',
    match: (p) => p === '.woodpecker.yml' || /^\.woodpecker\/.+\.ya?ml$/.test(p),
  },
];

export function detectCi(files: readonly string[]): string[] {
  const found = new Set<string>();
  for (const path of files) {
    // CI files live at the top or in a dot-directory: skip everything else quickly.
    if (path.includes('/') && !path.startsWith('.')) continue;
    for (const rule of CI_RULES) if (rule.match(path)) found.add(rule.name);
  }
  return CI_RULES.map((r) => r.name).filter((n) => found.has(n));
}
