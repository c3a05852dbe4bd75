/** The files a preview leaves: the full diff (text) and the structured preview (JSON). */
import * as fs from 'fs';
import * as path from 'path';
import type { PreviewReport } from './report-model';

export interface PreviewFiles {
  readonly diff: string;
  readonly json: string;
}

/** `<outputDir>/<env>.diff.txt` and `<outputDir>/<env>.json`. */
export function previewFiles(outputDir: string, environment: string): PreviewFiles {
  return { diff: path.join(outputDir, `${environment}.diff.txt`), json: path.join(outputDir, `${environment}.json`) };
}

export function writePreviewFiles(files: PreviewFiles, report: PreviewReport, diffText: string): void {
  fs.mkdirSync(path.dirname(files.diff), { recursive: true });
  fs.writeFileSync(files.diff, diffText);
  fs.writeFileSync(files.json, `${JSON.stringify(report, null, 2)}\n`);
}
