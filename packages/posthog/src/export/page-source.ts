import type { ApiResult } from '@patchbay/core';

/** One page of an export: its rows as arrays of cells in `columns` order. */
export interface ExportPage {
  columns: string[];
  rows: unknown[][];
  /** No page follows this one. */
  last: boolean;
}

/** Hands out an export's pages one at a time, each fetched only when asked for. */
export interface PageSource {
  next(signal: AbortSignal): Promise<ApiResult<ExportPage>>;
}

/** Names for the columns of rows a response gave no names for: `column_1`, `column_2`… */
export const numberedColumns = (count: number): string[] =>
  Array.from({ length: count }, (_, index) => `column_${index + 1}`);
