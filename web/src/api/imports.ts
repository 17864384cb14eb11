import { ApiError, type ErrorDetail, getCsrfToken } from './client';

export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const TEMPLATE_URL = '/api/v1/imports/template.csv';

export interface ImportProblem {
  readonly row: number;
  readonly column: string;
  readonly message: string;
}

export interface ImportReport {
  readonly dryRun: boolean;
  readonly committed: boolean;
  readonly total: number;
  readonly created: number;
  readonly alreadyRegistered: number;
  readonly familyLinks: number;
  readonly problems: readonly ImportProblem[];
}

/** Where an import is: sending the file, checking its rows, writing them (a dry run writes, then rolls back). */
export type ImportPhase = 'uploading' | 'checking' | 'writing';
export interface ImportProgress {
  readonly phase: ImportPhase;
  readonly done: number;
  readonly total: number;
}

type ServerEvent =
  | { type: 'progress'; phase: 'checking' | 'writing'; done: number; total: number }
  | { type: 'report'; report: ImportReport }
  | { type: 'error'; status: number; error: { code: string; message: string; details?: ErrorDetail[] } };

const isXlsx = (file: File) => file.name.toLowerCase().endsWith('.xlsx') || file.type === XLSX_TYPE;

/**
 * Sends a file to the import and follows its progress: the upload's bytes, then
 * the server's streamed progress lines (application/x-ndjson), then the report.
 * XMLHttpRequest rather than fetch, because fetch cannot report upload progress.
 */
export function runImport(file: File, dryRun: boolean, onProgress: (progress: ImportProgress) => void): { promise: Promise<ImportReport>; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<ImportReport>((resolve, reject) => {
    let read = 0;
    let report: ImportReport | null = null;
    let failure: ApiError | null = null;
    const consume = () => {
      if (xhr.status !== 200) return;
      const text = xhr.responseText;
      const end = text.lastIndexOf('\n');
      if (end < read) return;
      for (const line of text.slice(read, end).split('\n')) {
        if (!line.trim()) continue;
        const event = JSON.parse(line) as ServerEvent;
        if (event.type === 'progress') onProgress({ phase: event.phase, done: event.done, total: event.total });
        else if (event.type === 'report') report = event.report;
        else failure = new ApiError(event.status, event.error.code, event.error.message, event.error.details ?? []);
      }
      read = end + 1;
    };
    xhr.open('POST', `/api/v1/imports?dryRun=${dryRun}`);
    xhr.setRequestHeader('Content-Type', isXlsx(file) ? XLSX_TYPE : 'text/csv');
    xhr.setRequestHeader('Accept', 'application/x-ndjson');
    const csrf = getCsrfToken();
    if (csrf) xhr.setRequestHeader('X-CSRF-Token', csrf);
    xhr.upload.onprogress = (e) => onProgress({ phase: 'uploading', done: e.loaded, total: e.lengthComputable ? e.total : file.size });
    xhr.onprogress = consume;
    xhr.onerror = () => reject(new ApiError(0, 'network_error', 'The server could not be reached.'));
    xhr.onabort = () => reject(new DOMException('aborted', 'AbortError'));
    xhr.onload = () => {
      if (xhr.status !== 200) {
        reject(errorFrom(xhr.status, xhr.responseText));
        return;
      }
      try {
        consume();
      } catch {
        reject(new ApiError(502, 'bad_response', 'The server’s answer could not be read.'));
        return;
      }
      if (failure) reject(failure);
      else if (report) resolve(report);
      else reject(new ApiError(502, 'bad_response', 'The import ended without a report.'));
    };
    xhr.send(file);
  });
  return { promise, abort: () => xhr.abort() };
}

function errorFrom(status: number, text: string): ApiError {
  try {
    const { error } = JSON.parse(text) as { error: { code: string; message: string; details?: ErrorDetail[] } };
    return new ApiError(status, error.code, error.message, error.details ?? []);
  } catch {
    return new ApiError(status, `http_${status}`, `HTTP ${status}`);
  }
}

/** The problems as a CSV the clerk can open beside the file, formula-safe. */
export function problemsCsv(problems: readonly ImportProblem[]): string {
  const cell = (v: string | number) => {
    let s = String(v);
    if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
    return /[",\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
  };
  return `\uFEFFrow,column,message\n${problems.map((p) => [p.row, p.column, p.message].map(cell).join(',')).join('\n')}\n`;
}
