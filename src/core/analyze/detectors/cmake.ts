import type { Detection, DetectorContext } from '../types.js';
import { type Commands, guess, offer } from './util.js';

/** CMake projects: configure into build/, build, ctest when tests are declared. */
export async function detectCmake(ctx: DetectorContext): Promise<Detection | null> {
  if (!ctx.has('CMakeLists.txt')) return null;
  const text = (await ctx.readText('CMakeLists.txt')) ?? '';
  const presets = ctx.has('CMakePresets.json');
  const commands: Commands = {};
  offer(
    commands,
    'build',
    guess('cmake -S . -B build && cmake --build build', 'CMakeLists.txt', 1, !presets),
  );
  const testsDeclared =
    /\b(enable_testing|add_test|include\s*\(\s*CTest|gtest_discover_tests)\b/i.test(text);
  if (testsDeclared)
    offer(
      commands,
      'test',
      guess('ctest --test-dir build --output-on-failure', 'CMakeLists.txt', 1, false),
    );
  if (ctx.has('.clang-format')) {
    offer(
      commands,
      'format',
      guess(
        "git ls-files -z '*.c' '*.cc' '*.cpp' '*.h' '*.hpp' | xargs -0 clang-format -i",
        '.clang-format',
        1,
        false,
      ),
    );
  }
  if (ctx.has('.clang-tidy'))
    offer(commands, 'lint', guess('run-clang-tidy -p build', '.clang-tidy', 1, false));
  return {
    packageManagers: ['cmake'],
    manifest: 'CMakeLists.txt',
    commands,
    languages: ['C', 'C++', 'CMake'],
  };
}
