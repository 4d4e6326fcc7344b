import { z } from 'zod';

/**
 * `spec_dir`: one folder (`"specs"`), or a non-empty list of folders
 * (`["specs", "docs/specs"]`); specs are read from all of them and mmm writes new specs
 * into the first. Whether each folder is inside the repository, and named once, is
 * checked after merging the layers (spec-dir-rule.ts).
 */
export const specDirSchema = z
  .union(
    [
      z.string().min(1),
      z
        .array(
          z.string().min(1, {
            error: 'a folder in the list is empty; write its path, e.g. "docs/specs"',
          }),
        )
        .min(1, {
          error:
            'lists no folder; list at least one (e.g. ["specs", "docs/specs"]) or remove the key for the default "specs"',
        }),
    ],
    {
      error: 'expected a folder (e.g. "specs") or a list of folders (e.g. ["specs", "docs/specs"])',
    },
  )
  .default('specs')
  .describe(
    'Folder of the spec files, or a list of folders (new specs are written into the first)',
  );
