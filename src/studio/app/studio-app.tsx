import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type {
  ClipEstimateResponse,
  ClipGenerateResponse,
  OpenPathResponse,
  PrepareRowRequest,
  PrepareRowResponse,
  SourceLocation,
  SourceLocationsResponse,
  StudioDataset,
  StudioErrorInfo,
  StudioEvent,
  StudioProject,
  StudioRenderJob,
  StudioRow,
  StudioTemplateState,
} from '../types.js';
import { getJson, postJson, toErrorInfo } from './api-client.js';
import { ClipPanel } from './clip-panel.js';
import { DatasetTable } from './dataset-table.js';
import { ErrorOverlay } from './error-overlay.js';
import type { PreviewController, PreviewIssue, PreviewSource } from './preview-controller.js';
import { PreviewStage } from './preview-stage.js';
import type { PreviewZoom } from './preview-stage.js';
import { PropsForm } from './props-form.js';
import { RenderPanel } from './render-panel.js';
import { TransportBar } from './transport-bar.js';
import { readUrlState, writeUrlState } from './url-state.js';
import { useStudioEvents } from './use-studio-events.js';

type ReadyState = Extract<StudioTemplateState, { status: 'ready' }>;

/** A runtime error of the frame on screen, and (once mapped) where it comes from in the template's sources. */
type RuntimeProblem = { issues: PreviewIssue[]; bundleHash: string; location: SourceLocation | null };

/** Frames of React, the page host and the runtime: skipped when looking for the author's own line. */
const FRAMEWORK_FILE = /node_modules|[\\/]src[\\/](template[\\/]runtime|render[\\/]page)[\\/]|reelwright-page-entry/;

/** Where the studio remembers that the preview is muted. */
const MUTED_KEY = 'reelwright.studio.muted';

function readMuted(): boolean {
  try {
    return localStorage.getItem(MUTED_KEY) === '1';
  } catch {
    return false;
  }
}

function writeMuted(muted: boolean): void {
  try {
    localStorage.setItem(MUTED_KEY, muted ? '1' : '0');
  } catch {
    // Storage refused (private mode, quota): the choice lasts for this page only.
  }
}

/** Picks the first position in the stack traces that maps into the author's files (else the first that maps). */
async function locateIssue(issues: PreviewIssue[], bundleHash: string): Promise<SourceLocation | null> {
  const text = issues.map((issue) => [...issue.stacks, issue.message].join('\n')).join('\n');
  const positions = [...text.matchAll(/bundle\.js:(\d+):(\d+)/g)].slice(0, 40).map((match) => ({ line: Number(match[1]), column: Number(match[2]) }));
  if (positions.length === 0) return null;
  const { locations } = await postJson<SourceLocationsResponse>('/api/source-locations', { bundleHash, positions });
  const mapped = locations.filter((location): location is SourceLocation => location !== null);
  return mapped.find((location) => !FRAMEWORK_FILE.test(location.file)) ?? mapped[0] ?? null;
}

/** The dataset that goes with a template: same name as the template's folder, else the first one. */
function datasetFor(project: StudioProject, templateRef: string): string | null {
  const id = project.templates.find((t) => t.ref === templateRef)?.id;
  const named = project.datasets.find((d) => d.name.replace(/\.[^.]+$/, '') === id);
  return (named ?? project.datasets[0])?.ref ?? null;
}

/** `Error: x (at Card (http://…/bundle.js:812:9))` → `Error: x (in <Card>)`: the mapped location is shown above it. */
function readableIssue(message: string): string {
  return message.replace(/\(at ([\w$.]+) \(https?:\/\/[^)\s]*\)\)/g, '(in <$1>)');
}

function firstLocation(info: StudioErrorInfo): SourceLocation | null {
  return info.locations[0] ?? null;
}

/** The whole studio page: top bar, preview with transport, inspector (form, clips, render) and the dataset table. */
export function StudioApp() {
  const restored = useMemo(readUrlState, []);
  const [project, setProject] = useState<StudioProject | null>(null);
  const [fatal, setFatal] = useState<StudioErrorInfo | null>(null);
  const [templateRef, setTemplateRef] = useState<string | null>(restored.template);
  const [templateState, setTemplateState] = useState<StudioTemplateState | null>(null);
  const [ready, setReady] = useState<ReadyState | null>(null);
  const [datasetRef, setDatasetRef] = useState<string | null>(restored.dataset);
  const [dataset, setDataset] = useState<StudioDataset | null>(null);
  const [datasetVersion, setDatasetVersion] = useState(0);
  const [rowIndex, setRowIndex] = useState<number | null>(restored.row);
  const [variant, setVariant] = useState<string | null>(restored.variant);
  const [cells, setCells] = useState<Record<string, string>>({});
  const [dirty, setDirty] = useState(false);
  const [prepared, setPrepared] = useState<PrepareRowResponse | null>(null);
  const [prepareError, setPrepareError] = useState<StudioErrorInfo | null>(null);
  const [preparing, setPreparing] = useState(false);
  const [refresh, setRefresh] = useState(0);
  const [source, setSource] = useState<PreviewSource | null>(null);
  const [frame, setFrame] = useState(restored.frame ?? 0);
  const [playing, setPlaying] = useState(false);
  const [busy, setBusy] = useState(false);
  const [loop, setLoop] = useState(true);
  const [muted, setMuted] = useState(readMuted);
  const [zoom, setZoom] = useState<PreviewZoom>('fit');
  const [runtime, setRuntime] = useState<RuntimeProblem | null>(null);
  const [jobs, setJobs] = useState<Record<string, StudioRenderJob>>({});
  const [jobId, setJobId] = useState<string | null>(null);
  const [clipStatus, setClipStatus] = useState<string | null>(null);
  const [openPath, setOpenPath] = useState<{ open: boolean; value: string; error: string | null }>({ open: false, value: '', error: null });
  const controller = useRef<PreviewController | null>(null);
  const prepareSeq = useRef(0);

  const row: StudioRow | null = dataset?.rows.find((candidate) => candidate.index === rowIndex) ?? null;

  // ---------- project, template, dataset ----------

  useEffect(() => {
    getJson<StudioProject>('/api/project')
      .then((found) => {
        setProject(found);
        setTemplateRef((current) => current ?? found.templates[0]?.ref ?? null);
      })
      .catch((error: unknown) => setFatal(toErrorInfo(error)));
  }, []);

  useEffect(() => {
    if (project && templateRef && datasetRef === null) setDatasetRef(datasetFor(project, templateRef));
  }, [project, templateRef, datasetRef]);

  useEffect(() => {
    if (!templateRef) return;
    let live = true;
    setTemplateState({ status: 'building', ref: templateRef });
    getJson<StudioTemplateState>('/api/template', { ref: templateRef })
      .then((state) => {
        if (!live) return;
        setTemplateState(state);
        if (state.status === 'ready') setReady(state);
      })
      .catch((error: unknown) => live && setTemplateState({ status: 'error', ref: templateRef, error: toErrorInfo(error) }));
    return () => {
      live = false;
    };
  }, [templateRef]);

  // A new template (not a rebuild of the same one) starts from a clean slate.
  useEffect(() => {
    setReady((current) => (current && current.ref !== templateRef ? null : current));
    setRuntime(null);
  }, [templateRef]);

  useEffect(() => {
    if (!ready) return;
    const variants = Object.keys(ready.template.variants);
    setVariant((current) => (current && variants.includes(current) ? current : (variants[0] ?? null)));
  }, [ready]);

  const sourceHash = ready?.sourceHash ?? null;
  useEffect(() => {
    if (!ready || !datasetRef) {
      setDataset(null);
      return;
    }
    let live = true;
    getJson<StudioDataset>('/api/dataset', { ref: datasetRef, template: ready.ref })
      .then((found) => {
        if (!live) return;
        setDataset(found);
        setRowIndex((current) => {
          if (current !== null && found.rows.some((r) => r.index === current)) return current;
          return (found.rows.find((r) => r.ok) ?? found.rows[0])?.index ?? null;
        });
      })
      .catch((error: unknown) => live && setDataset({ ref: datasetRef, fileLabel: datasetRef, format: null, columns: [], mapping: {}, unmappedColumns: [], total: 0, valid: 0, invalid: 0, rows: [], truncated: false, fileError: toErrorInfo(error) }));
    return () => {
      live = false;
    };
    // Re-read when the template's code changes (its slots may have), the file changes, or another file is chosen.
  }, [sourceHash, ready?.ref, datasetRef, datasetVersion]);

  // The form follows the selected row, unless the user has edited it.
  const rowCells = row ? JSON.stringify(row.cells) : null;
  useEffect(() => {
    if (!row) return;
    if (!dirty) setCells({ ...row.cells });
  }, [row?.index, rowCells]);

  // ---------- preview ----------

  useEffect(() => {
    if (!ready || !variant) return;
    // Without a dataset the form alone makes the row (empty cells take the slots' defaults).
    if (datasetRef !== null && dataset === null) return;
    if (dataset && dataset.rows.length > 0 && row === null) return;
    const seq = ++prepareSeq.current;
    const body: PrepareRowRequest = {
      template: ready.ref,
      dataset: datasetRef,
      variant,
      cells,
      line: row?.line ?? 2,
      index: row?.index ?? 0,
    };
    setPreparing(true);
    postJson<PrepareRowResponse>('/api/prepare', body)
      .then((answer) => {
        if (seq !== prepareSeq.current) return;
        setPrepared(answer);
        setPrepareError(null);
        if (answer.ok && answer.init) setSource({ bundleUrl: ready.bundleUrl, bundleHash: ready.bundleHash, init: answer.init });
      })
      .catch((error: unknown) => {
        if (seq === prepareSeq.current) setPrepareError(toErrorInfo(error));
      })
      .finally(() => {
        if (seq === prepareSeq.current) setPreparing(false);
      });
  }, [ready, variant, datasetRef, dataset, row?.index, cells, refresh]);

  const onIssues = useCallback((issues: PreviewIssue[], bundleHash: string) => {
    if (issues.length === 0) {
      setRuntime(null);
      return;
    }
    setRuntime({ issues, bundleHash, location: null });
    locateIssue(issues, bundleHash)
      .then((location) => setRuntime((current) => (current && current.issues === issues ? { ...current, location } : current)))
      .catch(() => undefined);
  }, []);

  const seek = useCallback((to: number) => controller.current?.seek(to), []);
  const playPause = useCallback(() => {
    const c = controller.current;
    if (!c) return;
    if (c.playing) c.pause();
    else c.play();
  }, []);

  useEffect(() => {
    controller.current?.setLoop(loop);
  }, [loop]);

  useEffect(() => {
    controller.current?.setMuted(muted);
    writeMuted(muted);
  }, [muted]);

  useEffect(() => {
    if (playing) return;
    writeUrlState({ template: templateRef, dataset: datasetRef, row: rowIndex, variant, frame });
  }, [templateRef, datasetRef, rowIndex, variant, frame, playing]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const target = event.target as HTMLElement | null;
      if (target && (target.closest('input, textarea, select, [contenteditable="true"]') || event.metaKey || event.ctrlKey || event.altKey)) return;
      const step = event.shiftKey ? 10 : 1;
      const c = controller.current;
      if (!c) return;
      if (event.key === ' ') playPause();
      else if (event.key === 'ArrowLeft') c.seek(c.frame - step);
      else if (event.key === 'ArrowRight') c.seek(c.frame + step);
      else if (event.key === 'Home') c.seek(0);
      else if (event.key === 'End') c.seek(Number.MAX_SAFE_INTEGER);
      else if (event.key === 'l' || event.key === 'L') setLoop((value) => !value);
      else if (event.key === 'm' || event.key === 'M') setMuted((value) => !value);
      else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [playPause]);

  // ---------- server events ----------

  useStudioEvents((event: StudioEvent) => {
    switch (event.type) {
      case 'template':
        if (event.state.ref !== templateRef) return;
        setTemplateState(event.state);
        if (event.state.status === 'ready') setReady(event.state);
        return;
      case 'dataset':
        if (event.ref === datasetRef) setDatasetVersion((v) => v + 1);
        return;
      case 'render':
        setJobs((current) => ({ ...current, [event.job.jobId]: event.job }));
        return;
      case 'clip':
        setClipStatus(event.message);
        return;
      case 'hello':
        return;
    }
  });

  // ---------- actions ----------

  const selectRow = (next: StudioRow) => {
    setDirty(false);
    setRowIndex(next.index);
    setCells({ ...next.cells });
  };

  const editCell = (slot: string, value: string) => {
    setDirty(true);
    setCells((current) => ({ ...current, [slot]: value }));
  };

  const clipBody = (slot: string) => ({ template: ready?.ref ?? '', dataset: datasetRef, variant: variant ?? '', cells, line: row?.line ?? 2, index: row?.index ?? 0, slot });

  const render = () => {
    if (!ready || !datasetRef || !row?.key || !variant) return;
    postJson<StudioRenderJob>('/api/render', { template: ready.ref, dataset: datasetRef, rowKey: row.key, variant })
      .then((job) => {
        setJobs((current) => ({ ...current, [job.jobId]: current[job.jobId] ?? job }));
        setJobId(job.jobId);
      })
      .catch((error: unknown) => setClipStatus(toErrorInfo(error).message));
  };

  const open = async (value: string) => {
    try {
      const answer = await postJson<OpenPathResponse>('/api/open', { path: value });
      if (answer.kind === 'template') setTemplateRef(answer.ref);
      else setDatasetRef(answer.ref);
      setOpenPath({ open: false, value: '', error: null });
    } catch (error) {
      setOpenPath((current) => ({ ...current, error: toErrorInfo(error).message }));
    }
  };

  // ---------- view ----------

  if (fatal) {
    return (
      <div className="empty-state" role="alert">
        The studio could not load the project: {fatal.message}
      </div>
    );
  }

  const template = ready?.template ?? null;
  const variants = template ? Object.keys(template.variants) : [];
  const buildPill =
    templateState === null ? null : templateState.status === 'building' ? (
      <span className="pill busy" data-testid="build-status" data-status="building">
        Building…
      </span>
    ) : templateState.status === 'ready' ? (
      <span className="pill ok" data-testid="build-status" data-status="ready" title={`bundle ${templateState.bundleHash}`}>
        Ready · {templateState.bundleHash.slice(0, 7)}
      </span>
    ) : (
      <span className="pill bad" data-testid="build-status" data-status="error">
        Build failed
      </span>
    );

  let overlay = null;
  if (templateState?.status === 'error') {
    overlay = (
      <ErrorOverlay
        title="Template build failed"
        message={templateState.error.message}
        location={firstLocation(templateState.error)}
        hint="Fix the file and save: the preview reloads by itself, on the same row and frame."
      />
    );
  } else if (runtime) {
    overlay = (
      <ErrorOverlay
        title={`Runtime error at frame ${frame}`}
        message={[...new Set(runtime.issues.map((issue) => readableIssue(issue.message)))].join('\n')}
        location={runtime.location}
        hint="The batch would fail this row at this frame. Fix the template (it reloads on save) or the row's values."
      />
    );
  } else if (prepareError) {
    overlay = <ErrorOverlay title="The preview could not be prepared" message={prepareError.message} location={firstLocation(prepareError)} hint="" />;
  }

  const rowProblems = prepared && !prepared.ok ? prepared.problems : [];
  const badge =
    rowProblems.length > 0 ? (
      <span className="pill bad" data-testid="row-invalid">
        {rowProblems.length} problem{rowProblems.length === 1 ? '' : 's'} · showing last valid values
      </span>
    ) : preparing || busy ? (
      <span className="pill busy">Updating…</span>
    ) : prepared?.clips.some((clip) => clip.status === 'placeholder') ? (
      <span className="pill warn">Placeholder B-roll</span>
    ) : null;

  // Thumbnails of the row now in the form (not of the last valid one the preview may still show).
  const imageUrls: Record<string, string> = {};
  if (template && prepared?.ok && prepared.init) {
    for (const [slot, declared] of Object.entries(template.slots)) {
      const url = prepared.init.props[slot];
      if (declared.kind === 'image' && typeof url === 'string') imageUrls[slot] = url;
    }
  }
  const job = jobId ? (jobs[jobId] ?? null) : null;
  const renderBlocked = !project?.render.available
    ? (project?.render.reason ?? 'Rendering is not available.')
    : !datasetRef
      ? 'Choose a dataset first.'
      : !row
        ? 'Select a row.'
        : !row.ok
          ? 'This row has problems in the dataset file; fix them there to render it.'
          : null;
  const duration = source?.init.config.durationInFrames ?? 0;
  const fps = source?.init.config.fps ?? template?.fps ?? 30;

  return (
    <div className="studio">
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark" />
          reelwright <small>studio</small>
        </div>
        <label className="field-inline">
          <span>Template</span>
          <select
            className="select"
            data-testid="template-select"
            value={templateRef ?? ''}
            onChange={(event) => {
              const next = event.target.value || null;
              setTemplateRef(next);
              // Follow with the template's own dataset when the project has one of the same name.
              const own = project && next ? project.datasets.find((d) => d.name.replace(/\.[^.]+$/, '') === project.templates.find((t) => t.ref === next)?.id) : undefined;
              if (own && own.ref !== datasetRef) {
                setDirty(false);
                setRowIndex(null);
                setDatasetRef(own.ref);
              }
            }}
          >
            {templateRef && !project?.templates.some((t) => t.ref === templateRef) ? <option value={templateRef}>{templateRef}</option> : null}
            {project?.templates.map((t) => (
              <option key={t.ref} value={t.ref}>
                {t.id}
              </option>
            ))}
          </select>
        </label>
        <label className="field-inline">
          <span>Dataset</span>
          <select
            className="select"
            data-testid="dataset-select"
            value={datasetRef ?? ''}
            onChange={(event) => {
              setDirty(false);
              setRowIndex(null);
              setDatasetRef(event.target.value || null);
            }}
          >
            {datasetRef && !project?.datasets.some((d) => d.ref === datasetRef) ? <option value={datasetRef}>{datasetRef}</option> : null}
            {project?.datasets.map((d) => (
              <option key={d.ref} value={d.ref}>
                {d.ref.replace(/^datasets\//, '')}
              </option>
            ))}
          </select>
        </label>
        <div style={{ position: 'relative' }}>
          <button className="btn" onClick={() => setOpenPath((current) => ({ ...current, open: !current.open, error: null }))} data-testid="open-path">
            Open…
          </button>
          {openPath.open ? (
            <div className="popover">
              <form
                onSubmit={(event) => {
                  event.preventDefault();
                  void open(openPath.value);
                }}
              >
                <input
                  className="input"
                  autoFocus
                  placeholder="templates/promo/index.tsx or data/people.csv"
                  value={openPath.value}
                  onChange={(event) => setOpenPath({ open: true, value: event.target.value, error: null })}
                  data-testid="open-path-input"
                />
                <button className="btn primary" type="submit">
                  Open
                </button>
              </form>
              {openPath.error ? <div className="notice bad" style={{ marginTop: 8, marginBottom: 0 }}>{openPath.error}</div> : null}
              <p>A template (folder or entry file) or a dataset, relative to the project{project?.allowOutsideProject ? ' or anywhere' : ''}.</p>
            </div>
          ) : null}
        </div>
        {variants.length > 1 ? (
          <div className="segmented" role="group" aria-label="Variant" data-testid="variants">
            {variants.map((name) => (
              <button key={name} aria-pressed={name === variant} onClick={() => setVariant(name)} data-variant={name}>
                {name}
              </button>
            ))}
          </div>
        ) : null}
        {buildPill}
        <div className="spacer" />
        {clipStatus ? <span className="statusline">{clipStatus}</span> : null}
        <span className="template-meta">{project ? project.name : ''}</span>
      </header>

      <main className="preview-area">
        <PreviewStage
          source={source}
          zoom={zoom}
          initialFrame={restored.frame ?? 0}
          overlay={overlay}
          badge={badge}
          state={preparing || busy ? 'busy' : 'idle'}
          empty={
            <>
              <strong>{templateRef ? 'Preparing the preview…' : 'No template yet'}</strong>
              {templateRef ? 'Loading the template, the dataset and the row.' : 'Add a folder with an index.tsx under templates/, or open one.'}
            </>
          }
          onController={(c) => {
            controller.current = c;
            c?.setLoop(loop);
            c?.setMuted(muted);
          }}
          onFrame={setFrame}
          onIssues={onIssues}
          onPlaying={setPlaying}
          onBusy={setBusy}
        />
        <TransportBar
          frame={frame}
          durationInFrames={duration}
          fps={fps}
          playing={playing}
          loop={loop}
          muted={muted}
          zoom={zoom}
          onPlayPause={playPause}
          onSeek={seek}
          onLoop={setLoop}
          onMuted={setMuted}
          onZoom={setZoom}
        />
      </main>

      <aside className="inspector">
        <section className="section">
          <h2 className="section-title">
            Template <span className="meta">{template ? `v${template.version}` : ''}</span>
          </h2>
          {template ? (
            <div className="template-meta" data-testid="template-meta">
              <b>{template.id}</b> · {source?.init.config.width ?? template.width}×{source?.init.config.height ?? template.height} · {template.fps} fps
              {duration > 0 ? ` · ${(duration / template.fps).toFixed(2)} s` : ''}
              {template.description ? <div style={{ marginTop: 4 }}>{template.description}</div> : null}
            </div>
          ) : (
            <div className="template-meta">{templateState?.status === 'error' ? 'The template does not build yet.' : 'Loading…'}</div>
          )}
        </section>
        <section className="section">
          <h2 className="section-title">
            Properties
            <span className="meta">
              {row ? `line ${row.line}` : ''}
              {dirty ? ' · edited' : ''}
            </span>
          </h2>
          {template ? (
            <>
              <PropsForm slots={template.slots} cells={cells} problems={rowProblems} imageUrls={imageUrls} onChange={editCell} />
              {dirty && row ? (
                <div className="form-actions">
                  <span>Edits preview only; the dataset file is not changed.</span>
                  <button className="btn" onClick={() => selectRow(row)} data-testid="reset-row">
                    Reset
                  </button>
                </div>
              ) : null}
            </>
          ) : null}
        </section>
        {prepared && prepared.clips.length > 0 ? (
          <section className="section">
            <h2 className="section-title">B-roll</h2>
            <ClipPanel
              clips={prepared.clips}
              status={clipStatus}
              estimate={(slot) => postJson<ClipEstimateResponse>('/api/clips/estimate', clipBody(slot))}
              generate={async (slot, clipId) => {
                await postJson<ClipGenerateResponse>('/api/clips/generate', { ...clipBody(slot), clipId });
                setRefresh((value) => value + 1);
              }}
            />
          </section>
        ) : null}
        <section className="section">
          <h2 className="section-title">Render</h2>
          <RenderPanel available={project?.render.available ?? false} blockedReason={renderBlocked} job={job} dirty={dirty} onRender={render} />
        </section>
      </aside>

      <section className="data-area">
        <div className="data-head">
          <h3>Rows</h3>
          {dataset ? (
            <span className="counts" data-testid="row-counts">
              {dataset.fileLabel} · {dataset.total} rows · <span style={{ color: 'var(--ok)' }}>{dataset.valid} valid</span>
              {dataset.invalid > 0 ? <span style={{ color: 'var(--bad)' }}> · {dataset.invalid} with problems</span> : null}
              {dataset.unmappedColumns.length > 0 ? ` · unused columns: ${dataset.unmappedColumns.join(', ')}` : ''}
            </span>
          ) : null}
        </div>
        {dataset?.fileError ? (
          <div className="notice bad" style={{ margin: 12 }} role="alert" data-testid="dataset-error">
            {dataset.fileError.message}
          </div>
        ) : null}
        {dataset && template ? (
          <DatasetTable dataset={dataset} slots={template.slots} selected={rowIndex} onSelect={selectRow} />
        ) : (
          <div className="empty-state">{datasetRef ? 'Reading the dataset…' : 'No dataset: add a CSV or JSON file under datasets/, or open one.'}</div>
        )}
      </section>
    </div>
  );
}
