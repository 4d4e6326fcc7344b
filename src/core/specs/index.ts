/** The spec module's public API (format: docs/specs.md). */
export * from './model.js';
export { parseSpec, idFromFileName, numberFromFileName, slugify } from './parse.js';
export { loadSpecs, assertValidSpecs, listSpecFiles, type LoadedSpecs } from './load.js';
export { buildGraph, orderSpecs, readySpecs, dependentsOf, resolveDependencies } from './graph.js';
export { applySpecUpdate, type SpecUpdate } from './markdown-update.js';
export { updateSpecFile } from './write-back.js';
export {
  createSpec,
  nextSpecFileName,
  renderTemplate,
  listTemplates,
  readTemplate,
  type NewSpecOptions,
} from './new-spec.js';
export { resolveSpecDir } from './spec-dir.js';
export { CEL_VARIABLES, checkCelSyntax } from './cel.js';
export { discoverSpecs, type SpecSource } from './discover.js';
export { parseFolder } from './folder.js';
export { parseTasksJson, applyTasksJsonUpdate } from './tasks-json.js';
export type { MissingDependency } from './graph.js';
export type { LoadOptions } from './load.js';
