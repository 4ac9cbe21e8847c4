// The status page's HTML, rendered on the server from plain data: landmarks (header, main, footer), one section
// per concern with its heading, tables with column and row headers, labelled controls, and colours that pass
// WCAG AA contrast on white, never the only carrier of a state (every status is also a word). Every value goes
// through escapeHtml.
import type { HealthSnapshot, IntegrationHealth } from '../health/create-health.ts';
import { recordsOf, skipReasonOf } from '../health/run-stats.ts';
import type { DeadLetter, JobRun } from '../scheduler.ts';
import { escapeHtml } from './escape-html.ts';
import { recordsChart, recordsSeries } from './records-chart.ts';

/** What the page shows. */
export interface StatusPageModel {
  health: HealthSnapshot | null;
  runs: readonly JobRun[];
  deadLetters: readonly DeadLetter[];
  /** Things that could not be read, said on the page. */
  problems: readonly string[];
  /** The form's CSRF token. */
  csrfToken: string;
  /** Where the replay form posts. */
  replayAction: string;
  /** The page's own path, for the refresh link. */
  pageHref: string;
  /** A message after an action (replayed, not found), shown in a live region. */
  notice: { kind: 'ok' | 'error'; text: string } | null;
  /** The style element's CSP nonce. */
  nonce: string;
  now: number;
}

const time = (at: number | null): string => {
  if (at === null || !Number.isFinite(at)) return '<span class="muted">never</span>';
  const iso = new Date(at).toISOString();
  return `<time datetime="${escapeHtml(iso)}">${escapeHtml(`${iso.slice(0, 19).replace('T', ' ')} UTC`)}</time>`;
};

const percent = (rate: number | null): string =>
  rate === null
    ? '<span class="muted">no runs</span>'
    : `${(rate * 100).toFixed(rate === 0 || rate === 1 ? 0 : 1)} %`;

const badge = (status: string): string =>
  `<span class="badge ${escapeHtml(status)}">${escapeHtml(status)}</span>`;

const json = (value: unknown, max = 300): string => {
  let text: string;
  try {
    text = JSON.stringify(value) ?? '';
  } catch {
    text = '';
  }
  return escapeHtml(text.length > max ? `${text.slice(0, max)}…` : text);
};

function integrationRow(integration: IntegrationHealth): string {
  const breaker = integration.breaker
    ? `${escapeHtml(integration.breaker.state)}${integration.breaker.failures > 0 ? `, ${integration.breaker.failures} consecutive failures` : ''}${integration.breaker.retryAt !== null ? `<br>retry after ${time(integration.breaker.retryAt)}` : ''}`
    : '<span class="muted">none</span>';
  const limits =
    integration.rateLimits.length === 0
      ? '<span class="muted">none</span>'
      : integration.rateLimits
          .map(
            (limit) =>
              `${escapeHtml(limit.key)}: ${escapeHtml(Math.floor(limit.tokens))} of ${escapeHtml(limit.capacity)} left${limit.blockedUntil !== null ? `, blocked until ${time(limit.blockedUntil)}` : ''}`,
          )
          .join('<br>');
  const c = integration.counts;
  const problems =
    integration.problems.length > 0
      ? `<br><span class="error">Could not read: ${escapeHtml(integration.problems.join('; '))}</span>`
      : '';
  return `<tr><th scope="row">${escapeHtml(integration.label)}${problems}</th><td>${badge(integration.status)}</td><td>${breaker}</td><td>${time(integration.lastSuccessAt)}</td><td>${percent(integration.errorRate)}</td><td>${limits}</td><td>${c.succeeded} succeeded, ${c.failed} failed, ${c.dead} dead, ${c.skipped} skipped, ${c.running} running</td></tr>`;
}

function runRow(run: JobRun): string {
  const skipped = run.outcome === 'succeeded' ? skipReasonOf(run.result) : null;
  const records = recordsOf(run.result);
  const duration = run.finishedAt === null ? '' : `${((run.finishedAt - run.startedAt) / 1000).toFixed(1)} s`;
  const error = run.error ? `${escapeHtml(run.error.code)}: ${escapeHtml(run.error.message)}` : '';
  return `<tr><th scope="row">${escapeHtml(run.name)}</th><td><code>${escapeHtml(run.jobId)}</code></td><td>${time(run.startedAt)}</td><td>${escapeHtml(duration)}</td><td>${badge(skipped === null ? run.outcome : 'skipped')}${skipped === null ? '' : ` ${escapeHtml(`(${skipped})`)}`}</td><td>${escapeHtml(`${run.attempt} of ${run.attempts}`)}</td><td>${records === null ? '' : escapeHtml(records)}</td><td>${error}</td></tr>`;
}

function deadLetterRow(letter: DeadLetter, model: StatusPageModel): string {
  return `<tr><th scope="row">${escapeHtml(letter.name)}</th><td><code>${escapeHtml(letter.jobId)}</code></td><td>${time(letter.failedAt)}</td><td>${escapeHtml(letter.attempts)}</td><td>${escapeHtml(letter.error.code)}: ${escapeHtml(letter.error.message)}</td><td><code class="data">${json(letter.data)}</code></td><td><form method="post" action="${escapeHtml(model.replayAction)}"><input type="hidden" name="csrf" value="${escapeHtml(model.csrfToken)}"><input type="hidden" name="id" value="${escapeHtml(letter.id)}"><button type="submit" aria-label="${escapeHtml(`Replay ${letter.name} job ${letter.jobId}`)}">Replay</button></form></td></tr>`;
}

const STYLE = `
:root{color-scheme:light;font-family:system-ui,-apple-system,"Segoe UI",sans-serif;color:#1a1a1a;background:#fff}
body{margin:0 auto;max-width:72rem;padding:1rem 1.5rem;line-height:1.45}
h1{font-size:1.5rem}h2{font-size:1.2rem;margin-top:2rem}
table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border-bottom:1px solid #c8c8c8;padding:.4rem .5rem;text-align:left;vertical-align:top}
thead th{background:#f0f0f0}
code{font-family:ui-monospace,monospace;word-break:break-all}
.muted{color:#555}.error{color:#a4000f}
.badge{display:inline-block;padding:0 .4rem;border-radius:.25rem;border:1px solid currentColor;font-weight:600}
.ok,.succeeded{color:#0b6b1d}.degraded,.failed,.interrupted,.skipped,.half-open{color:#7a4a00}.down,.dead{color:#a4000f}
.unknown,.running{color:#24466b}
.notice{padding:.5rem .75rem;border:2px solid #0b6b1d;border-radius:.25rem}.notice.error{border-color:#a4000f}
button{font:inherit;padding:.25rem .75rem;border:1px solid #1a4d8f;background:#1a4d8f;color:#fff;border-radius:.25rem;cursor:pointer}
button:focus-visible{outline:3px solid #f5b400;outline-offset:2px}
.chart{width:100%;max-width:40rem;height:auto}.chart .bar{fill:#1a4d8f}.chart .axis{stroke:#555}.chart text{font-size:11px;fill:#1a1a1a}
.skip{position:absolute;left:-999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.25rem}
`;

/** The whole page. */
export function renderStatusPage(model: StatusPageModel): string {
  const integrations = model.health?.integrations ?? [];
  const notice = model.notice
    ? `<p class="notice ${model.notice.kind === 'error' ? 'error' : ''}">${escapeHtml(model.notice.text)}</p>`
    : '';
  const problems =
    model.problems.length > 0
      ? `<p class="error">Could not read: ${escapeHtml(model.problems.join('; '))}</p>`
      : '';
  const integrationTable =
    integrations.length === 0
      ? '<p>No integrations are watched.</p>'
      : `<table aria-labelledby="integrations-heading"><thead><tr><th scope="col">Integration</th><th scope="col">Status</th><th scope="col">Circuit breaker</th><th scope="col">Last success</th><th scope="col">Error rate (last ${escapeHtml(Math.round((model.health?.windowMs ?? 3_600_000) / 60_000))} min)</th><th scope="col">Rate limit</th><th scope="col">Runs</th></tr></thead><tbody>${integrations.map(integrationRow).join('')}</tbody></table>`;
  const runTable =
    model.runs.length === 0
      ? '<p>No runs yet.</p>'
      : `<table aria-labelledby="runs-heading"><thead><tr><th scope="col">Job</th><th scope="col">Job id</th><th scope="col">Started</th><th scope="col">Duration</th><th scope="col">Outcome</th><th scope="col">Attempt</th><th scope="col">Records</th><th scope="col">Error</th></tr></thead><tbody>${model.runs.map(runRow).join('')}</tbody></table>`;
  const deadTable =
    model.deadLetters.length === 0
      ? '<p>No failed jobs.</p>'
      : `<table aria-labelledby="failures-heading"><thead><tr><th scope="col">Job</th><th scope="col">Job id</th><th scope="col">Failed</th><th scope="col">Attempts</th><th scope="col">Error</th><th scope="col">Data</th><th scope="col">Action</th></tr></thead><tbody>${model.deadLetters.map((letter) => deadLetterRow(letter, model)).join('')}</tbody></table>`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>Integration status</title>
<style nonce="${escapeHtml(model.nonce)}">${STYLE}</style>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header><h1>Integration status</h1></header>
<main id="main">
<div role="status" aria-live="polite">${notice}</div>
${problems}
<section aria-labelledby="integrations-heading"><h2 id="integrations-heading">Integrations</h2>${integrationTable}</section>
<section aria-labelledby="chart-heading"><h2 id="chart-heading">Records synced</h2>${recordsChart(recordsSeries(model.runs), { id: 'records-chart' })}</section>
<section aria-labelledby="failures-heading"><h2 id="failures-heading">Failed jobs</h2>${deadTable}</section>
<section aria-labelledby="runs-heading"><h2 id="runs-heading">Recent runs</h2>${runTable}</section>
</main>
<footer><p class="muted">Generated ${time(model.now)}. <a href="${escapeHtml(model.pageHref)}">Refresh</a></p></footer>
</body>
</html>`;
}
