/**
 * What the sandbox (sandbox.ts) makes writable and what it hides, relative to HOME or
 * named by environment variables. Lists only: the mounts are made in sandbox.ts.
 */

/**
 * Tool caches under HOME that builds write; bound writable when they exist. Toolchain
 * homes (`~/.cargo`, `~/.rustup`, `~/.gradle`, PNPM_HOME, …) also hold programs and
 * start-up files that run outside mmm later — `~/.cargo/bin/*`, `~/.cargo/config.toml`,
 * `~/.gradle/init.d`, `~/.sbt/1.0/plugins` — so only their download caches are listed.
 */
export const HOME_CACHES = [
  '.npm',
  '.cache', // pip, go-build, yarn, deno, ms-playwright, node-gyp, …
  '.cargo/registry',
  '.cargo/git',
  '.rustup/downloads',
  '.rustup/tmp',
  'go/pkg/mod',
  '.m2/repository',
  '.gradle/caches',
  '.gradle/native',
  '.ivy2/cache',
  '.sbt/boot',
  '.pnpm-store',
  '.local/share/pnpm/store',
  '.yarn/berry/cache',
  '.bun/install/cache',
  '.nuget/packages',
  '.pub-cache/hosted',
  '.pub-cache/git',
  '.hex/packages',
  '.stack/pantry',
  '.cabal/packages',
];

/** Environment variables naming cache directories, bound writable when they exist. */
export const CACHE_ENV = [
  'XDG_CACHE_HOME',
  'npm_config_cache',
  'NPM_CONFIG_CACHE',
  'YARN_CACHE_FOLDER',
  'PIP_CACHE_DIR',
  'GOCACHE',
  'GOMODCACHE',
  'DENO_DIR',
];

/** Environment variables naming toolchain homes: only these cache folders in them are writable. */
export const CACHE_HOME_ENV: Readonly<Record<string, readonly string[]>> = {
  PNPM_HOME: ['store'],
  CARGO_HOME: ['registry', 'git'],
  RUSTUP_HOME: ['downloads', 'tmp'],
  GRADLE_USER_HOME: ['caches', 'native'],
  BUN_INSTALL: ['install/cache'],
};

/**
 * Credential stores under HOME that no build or test needs: Claude's own login (the
 * claude-code engine binds its directory back for the `claude` process), SSH and GPG
 * keys, cloud, container and GitHub CLI credentials. They are not environment values, so
 * redaction does not know them: inside the sandbox each one that exists is replaced by
 * an empty directory or an empty file. (`~/.npmrc`, `~/.netrc`, `~/.pypirc` stay: package
 * installs from private registries read them.)
 */
export const HIDDEN_CREDENTIALS = [
  '.claude',
  '.claude.json',
  '.ssh',
  '.gnupg',
  '.aws',
  '.azure',
  '.config/gcloud',
  '.config/gh',
  '.docker/config.json',
  '.kube',
  '.git-credentials',
  '.password-store',
];

/**
 * Cache directories of installed Node packages. The run's node_modules are links to the
 * user's checkout and stay read-only (an agent must not change the user's installed
 * packages); these subdirectories, where vite/vitest, babel and others write, are
 * created and bound writable so the project's tests run as outside.
 */
export const NODE_MODULES_CACHES = ['.vite', '.vite-temp', '.vitest', '.cache'];

/**
 * Sockets of your session and of container engines. A read-only mount does not stop
 * connecting to a Unix socket, and these start programs outside the sandbox (the session
 * bus: `systemd-run --user`; Docker: a container with `/` mounted). Inside the sandbox
 * the runtime directories (`$XDG_RUNTIME_DIR`, `/run/user`) are empty, and these socket
 * files are not sockets.
 */
export const RUNTIME_DIRS = ['/run/user'];
export const RUNTIME_SOCKETS = [
  '/run/docker.sock',
  '/var/run/docker.sock',
  '/run/podman/podman.sock',
  '/run/containerd/containerd.sock',
  '/run/dbus/system_bus_socket',
];
