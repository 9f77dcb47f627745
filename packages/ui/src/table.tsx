import type { ReactElement, ReactNode } from "react";

/** One column of a {@link Table}. */
export interface TableColumn<Row> {
  /** Stable key of the column. */
  id: string;
  /** The header text; also labels the cell when rows are stacked on a narrow screen. */
  header: string;
  /** Renders this column's cell for a row. */
  cell: (row: Row) => ReactNode;
  /** Hides the header (the cell still gets it as its label for assistive technology); for action columns. */
  hideHeader?: boolean;
  /** Aligns the cell's content to the end, for actions and numbers. */
  alignEnd?: boolean;
}

export interface TableProps<Row> {
  /** Says what the table lists; visually hidden unless `showCaption`. */
  caption: string;
  showCaption?: boolean;
  columns: readonly TableColumn<Row>[];
  rows: readonly Row[];
  /** A stable key per row. */
  rowKey: (row: Row) => string;
  /** Shown in place of the rows when there are none. */
  empty?: ReactNode;
  /** Extra classes for a row, for example to highlight the current one. */
  rowClassName?: (row: Row) => string;
}

/**
 * A data table. On a phone each row becomes a stacked block whose cells carry their column's name,
 * so nothing needs to scroll sideways.
 */
export function Table<Row>({
  caption,
  showCaption = false,
  columns,
  rows,
  rowKey,
  empty,
  rowClassName,
}: TableProps<Row>): ReactElement {
  return (
    <div className="overflow-hidden rounded-lg border border-slate-200">
      <table className="w-full border-collapse text-left text-sm">
        <caption className={showCaption ? "p-3 text-left font-medium text-slate-700" : "sr-only"}>{caption}</caption>
        <thead className="hidden bg-slate-50 text-xs font-semibold tracking-wide text-slate-600 uppercase md:table-header-group">
          <tr>
            {columns.map((column) => (
              <th
                key={column.id}
                scope="col"
                className={`border-b border-slate-200 px-4 py-2.5 whitespace-nowrap ${column.alignEnd ? "text-right" : ""}`}
              >
                <span className={column.hideHeader ? "sr-only" : undefined}>{column.header}</span>
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-200">
          {rows.length === 0 && empty !== undefined && (
            <tr>
              <td colSpan={columns.length} className="px-4 py-6 text-center text-slate-600">
                {empty}
              </td>
            </tr>
          )}
          {rows.map((row) => (
            <tr key={rowKey(row)} className={`block p-3 md:table-row md:p-0 ${rowClassName?.(row) ?? ""}`}>
              {columns.map((column) => (
                <td
                  key={column.id}
                  data-label={column.hideHeader ? undefined : column.header}
                  className={`flex gap-3 py-1 align-middle md:table-cell md:px-4 md:py-3 ${
                    column.alignEnd ? "md:text-right" : ""
                  } ${
                    column.hideHeader
                      ? "pt-2"
                      : "before:w-28 before:shrink-0 before:text-slate-500 before:content-[attr(data-label)] md:before:hidden"
                  }`}
                >
                  <span className="min-w-0 flex-1 break-words">{column.cell(row)}</span>
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
