import type { Detection, DetectorContext } from '../types.js';
import { type Commands, guess, offer } from './util.js';

/** Gradle and Maven projects (Java, Kotlin, Scala), wrapper scripts preferred. */
const FRAMEWORKS: [RegExp, string][] = [
  [/org\.springframework\.boot|spring-boot/, 'spring'],
  [/io\.quarkus/, 'quarkus'],
  [/io\.micronaut/, 'micronaut'],
  [/io\.ktor/, 'ktor'],
  [/junit-jupiter|org\.junit|junit:junit|<artifactId>junit<\/artifactId>/, 'junit'],
];

export async function detectJvm(ctx: DetectorContext): Promise<Detection | null> {
  const gradleFile = [
    'build.gradle.kts',
    'build.gradle',
    'settings.gradle.kts',
    'settings.gradle',
  ].find((f) => ctx.has(f));
  const maven = ctx.has('pom.xml');
  const nestedGradle = ctx.named('build.gradle').concat(ctx.named('build.gradle.kts'));
  const nestedPom = ctx.named('pom.xml');
  if (!gradleFile && !maven && nestedGradle.length === 0 && nestedPom.length === 0) return null;

  const texts: string[] = [];
  for (const f of [...nestedGradle, ...nestedPom].slice(0, 100))
    texts.push((await ctx.readText(f)) ?? '');
  const all = texts.join('\n');
  const frameworks = FRAMEWORKS.filter(([re]) => re.test(all)).map(([, name]) => name);
  const packageManagers: string[] = [];
  if (gradleFile || nestedGradle.length) packageManagers.push('gradle');
  if (maven || nestedPom.length) packageManagers.push('maven');
  const languages = ['Java', 'Kotlin', 'Scala', 'Groovy'];
  const commands: Commands = {};
  if (gradleFile) {
    const g = ctx.has('gradlew') ? './gradlew' : 'gradle';
    const sure = g === './gradlew';
    const spotless = /spotless/.test(all);
    offer(commands, 'build', guess(`${g} build`, gradleFile, 1, sure));
    offer(commands, 'test', guess(`${g} test`, gradleFile, 1, sure));
    offer(commands, 'typecheck', guess(`${g} classes`, gradleFile, 1, sure));
    if (spotless) {
      offer(commands, 'lint', guess(`${g} spotlessCheck`, 'spotless plugin', 1, sure));
      offer(commands, 'format', guess(`${g} spotlessApply`, 'spotless plugin', 1, sure));
    } else if (/checkstyle|detekt|ktlint/.test(all)) {
      offer(commands, 'lint', guess(`${g} check -x test`, 'lint plugin in build file', 1, false));
    }
  } else if (maven) {
    const m = ctx.has('mvnw') ? './mvnw' : 'mvn';
    const sure = true;
    offer(commands, 'build', guess(`${m} package`, 'pom.xml', 1, sure));
    offer(commands, 'test', guess(`${m} test`, 'pom.xml', 1, sure));
    offer(commands, 'typecheck', guess(`${m} compile`, 'pom.xml', 1, sure));
    if (/spotless-maven-plugin/.test(all)) {
      offer(commands, 'lint', guess(`${m} spotless:check`, 'spotless plugin', 1, sure));
      offer(commands, 'format', guess(`${m} spotless:apply`, 'spotless plugin', 1, sure));
    } else if (/maven-checkstyle-plugin/.test(all)) {
      offer(commands, 'lint', guess(`${m} checkstyle:check`, 'checkstyle plugin', 1, sure));
    }
  }
  const manifest = ['build.gradle.kts', 'build.gradle', 'pom.xml'].find((f) => ctx.has(f));
  return { packageManagers, manifest, frameworks, commands, languages };
}
