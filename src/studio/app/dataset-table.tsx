import { useEffect, useRef } from 'react';
import type { SlotMap } from '../../template/index.js';
import type { StudioDataset, StudioRow } from '../types.js';

/** Props of `DatasetTable`. */
export type DatasetTableProps = {
  dataset: StudioDataset;
  slots: SlotMap;
  /** Data index of the selected row. */
  selected: number | null;
  onSelect: (row: StudioRow) => void;
};

/** The dataset as a table: one row per video with its validation status; the selected row's problems beside it. */
export function DatasetTable({ dataset, slots, selected, onSelect }: DatasetTableProps) {
  const columns = Object.keys(dataset.mapping).filter((slot) => slots[slot]?.kind !== 'broll');
  const current = dataset.rows.find((row) => row.index === selected) ?? null;
  const selectedRef = useRef<HTMLTableRowElement>(null);
  useEffect(() => {
    // A block body: newer Chromium returns a promise from scrollIntoView, which React would take for a cleanup.
    void selectedRef.current?.scrollIntoView({ block: 'nearest' });
  }, [selected]);

  const move = (delta: number) => {
    const at = dataset.rows.findIndex((row) => row.index === selected);
    const next = dataset.rows[Math.max(0, Math.min(dataset.rows.length - 1, at + delta))];
    if (next) onSelect(next);
  };

  return (
    <div className="data-body">
      <div
        className="table-wrap"
        tabIndex={0}
        onKeyDown={(event) => {
          if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
            event.preventDefault();
            move(event.key === 'ArrowDown' ? 1 : -1);
          }
        }}
      >
        <table className="rows" data-testid="rows">
          <thead>
            <tr>
              <th aria-label="status" />
              <th>line</th>
              {columns.map((slot) => (
                <th key={slot}>
                  {slots[slot]?.label ?? slot}
                  {dataset.mapping[slot] && dataset.mapping[slot] !== slot ? <small>← {dataset.mapping[slot]}</small> : null}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {dataset.rows.map((row) => {
              const badSlots = new Set(row.problems.map((problem) => problem.slot));
              return (
                <tr
                  key={row.index}
                  ref={row.index === selected ? selectedRef : undefined}
                  aria-selected={row.index === selected}
                  data-row-index={row.index}
                  data-row-ok={row.ok}
                  onClick={() => onSelect(row)}
                >
                  <td title={row.ok ? 'valid' : `${row.problems.length} problem(s)`}>
                    <span className={`status-dot${row.ok ? '' : ' bad'}`} />
                  </td>
                  <td className="num">{row.line}</td>
                  {columns.map((slot) => (
                    <td key={slot} className={badSlots.has(slot) ? 'bad-cell' : undefined} title={row.cells[slot] ?? ''}>
                      {row.cells[slot] ?? ''}
                    </td>
                  ))}
                </tr>
              );
            })}
          </tbody>
        </table>
        {dataset.truncated ? <div className="empty-state">Showing the first {dataset.rows.length} of {dataset.total} rows.</div> : null}
      </div>
      <div className="problems" data-testid="row-problems">
        {current === null ? (
          <div className="empty-state">Select a row.</div>
        ) : current.ok ? (
          <div className="all-good">
            Line {current.line} is valid{current.key ? ` · key ${current.key}` : ''}.
          </div>
        ) : (
          <>
            <h4>
              Line {current.line}: {current.problems.length} problem{current.problems.length === 1 ? '' : 's'}
            </h4>
            <ul>
              {current.problems.map((problem, index) => (
                <li key={index}>{problem.text}</li>
              ))}
            </ul>
          </>
        )}
      </div>
    </div>
  );
}
