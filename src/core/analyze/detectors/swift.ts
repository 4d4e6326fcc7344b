import type { Detection, DetectorContext } from '../types.js';
import { type Commands, guess, offer } from './util.js';

/** Swift packages (Package.swift) and Dart/Flutter packages (pubspec.yaml). */
export async function detectSwift(ctx: DetectorContext): Promise<Detection | null> {
  if (!ctx.has('Package.swift')) return null;
  const commands: Commands = {};
  offer(commands, 'build', guess('swift build', 'Package.swift', 1));
  offer(commands, 'test', guess('swift test', 'Package.swift', 1));
  if (ctx.has('.swiftlint.yml')) offer(commands, 'lint', guess('swiftlint', '.swiftlint.yml', 1));
  if (ctx.has('.swift-format')) {
    offer(commands, 'format', guess('swift format --in-place --recursive .', '.swift-format', 1));
  }
  return {
    packageManagers: ['swiftpm'],
    manifest: 'Package.swift',
    commands,
    languages: ['Swift'],
  };
}

export async function detectDart(ctx: DetectorContext): Promise<Detection | null> {
  if (!ctx.has('pubspec.yaml')) return null;
  const pubspec = (await ctx.readText('pubspec.yaml')) ?? '';
  const flutter = /^\s+flutter:\s*$/m.test(pubspec) || /sdk:\s*flutter/.test(pubspec);
  const tool = flutter ? 'flutter' : 'dart';
  const commands: Commands = {};
  offer(commands, 'test', guess(`${tool} test`, 'pubspec.yaml', 1));
  offer(commands, 'lint', guess(`${tool} analyze`, 'pubspec.yaml', 1));
  offer(commands, 'format', guess('dart format .', 'pubspec.yaml', 1));
  if (flutter) offer(commands, 'build', guess('flutter build', 'pubspec.yaml', 1, false));
  return {
    packageManagers: [flutter ? 'flutter' : 'pub'],
    frameworks: flutter ? ['flutter'] : [],
    commands,
    languages: ['Dart'],
  };
}
