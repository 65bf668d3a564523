//! The arithmetic of tables 三 and 四:
//!
//! - a 总计 column is the sum of the columns before it;
//! - in table 三, （三）–（六） are the sums of their numbered sub-rows and
//!   （七）总计 the sum of （一）–（六）, column by column;
//! - in table 三, for each applicant column, 本年新收 + 上年结转 =
//!   （七）总计 + 结转下年度.
//!
//! A total left out is computed from the cells an editor must fill in.
//! A total written is wrong when it differs from that computed value; it
//! is reported unless it equals its parts as written, for then the mistake
//! is in a part, reported there. So one wrong figure gives one error, at
//! the cell to correct, whether it is a number, a subtotal or a 总计. The
//! balance is checked on the computed values. Sums that depend on a cell
//! that could not be read are not checked (that cell has its own error).

use super::read::{Grid, row_name};
use super::rows::{APPLICATION_ROWS, ApplicationRow};
use super::table::{APPLICANTS, Applicant, Labelled};
use crate::diag::Diagnostic;

/// The value of every cell, `None` where a part it depends on is missing.
pub(super) type Values<const R: usize, const C: usize> = [[Option<u64>; C]; R];

/// Check a table with rows `T` and columns `U`; its values computed from
/// the cells an editor must fill in.
pub(super) fn table<T: Labelled, U: Labelled, const R: usize, const C: usize>(
    path: &str,
    field: &str,
    grid: &Grid<R, C>,
    diags: &mut Vec<Diagnostic>,
) -> Values<R, C> {
    let values = complete::<T, U, R, C>(grid);
    let mut effective = values;
    for (row, slots) in grid.rows.iter().zip(effective.iter_mut()) {
        for (cell, slot) in row.iter().flat_map(|r| &r.cells).zip(slots.iter_mut()) {
            if let Some(cell) = cell {
                *slot = Some(cell.value);
            }
        }
    }
    for row in T::all() {
        let Some(written) = &grid.rows[row.index()] else {
            continue;
        };
        for column in U::all() {
            let derived = column.is_computed() || !row.sum_of().is_empty();
            let Some(cell) = written.cells[column.index()].as_ref().filter(|_| derived) else {
                continue;
            };
            let terms = terms::<T, U, R, C>(&effective, row, column);
            let computed = values[row.index()][column.index()];
            let Some(expected) = terms.iter().map(|(_, v)| *v).sum::<Option<u64>>() else {
                continue;
            };
            if computed.is_some_and(|c| c != cell.value) && cell.value != expected {
                let shown: Vec<String> = terms
                    .iter()
                    .map(|(name, v)| format!("{name} {}", v.unwrap_or(0)))
                    .collect();
                let message = format!(
                    "{}的“{}”应为 {expected}（{}），实际填写 {}",
                    row_name(row),
                    column.key(),
                    shown.join(" + "),
                    cell.value
                );
                diags.push(
                    Diagnostic::error(path, cell.line, cell.column, message).with_field(field),
                );
            }
        }
    }
    values
}

/// Every cell computed from the parts written.
fn complete<T: Labelled, U: Labelled, const R: usize, const C: usize>(
    grid: &Grid<R, C>,
) -> Values<R, C> {
    let mut values: Values<R, C> = [[None; C]; R];
    let (totals, parts): (Vec<U>, Vec<U>) = U::all().into_iter().partition(|c| c.is_computed());
    let (mut pending, filled): (Vec<T>, Vec<T>) =
        T::all().into_iter().partition(|r| !r.sum_of().is_empty());
    let mut order = filled;
    // A derived row comes after every row it sums (the official order puts
    // （三） above its sub-rows, so it cannot be followed as it is).
    while let Some(at) = pending
        .iter()
        .position(|r| r.sum_of().iter().all(|p| !pending.contains(p)))
    {
        order.push(pending.remove(at));
    }
    for row in order {
        let r = row.index();
        for column in &parts {
            let c = column.index();
            values[r][c] = if row.sum_of().is_empty() {
                grid.rows[r]
                    .as_ref()
                    .and_then(|written| written.cells[c].as_ref())
                    .map(|cell| cell.value)
            } else {
                row.sum_of().iter().map(|p| values[p.index()][c]).sum()
            };
        }
        for total in &totals {
            values[r][total.index()] = parts.iter().map(|p| values[r][p.index()]).sum();
        }
    }
    values
}

/// The parts a total cell sums, by name: the columns before 总计, or the
/// rows a derived row sums.
fn terms<T: Labelled, U: Labelled, const R: usize, const C: usize>(
    values: &Values<R, C>,
    row: T,
    column: U,
) -> Vec<(&'static str, Option<u64>)> {
    if column.is_computed() {
        U::all()
            .into_iter()
            .filter(|c| !c.is_computed())
            .map(|c| (c.key(), values[row.index()][c.index()]))
            .collect()
    } else {
        row.sum_of()
            .iter()
            .map(|p| (p.key(), values[p.index()][column.index()]))
            .collect()
    }
}

/// Table 三's balance, for each applicant column: 本年新收 + 上年结转 =
/// （七）总计 + 结转下年度, reported at the 结转下年度 cell.
pub(super) fn balance(
    path: &str,
    field: &str,
    grid: &Grid<APPLICATION_ROWS, APPLICANTS>,
    values: &Values<APPLICATION_ROWS, APPLICANTS>,
    diags: &mut Vec<Diagnostic>,
) {
    use ApplicationRow as R;
    let Some(forward_row) = &grid.rows[R::CarriedForward.index()] else {
        return;
    };
    for column in Applicant::all().into_iter().filter(|c| !c.is_computed()) {
        let c = column.index();
        let at = |row: R| values[row.index()][c];
        let (Some(received), Some(carried), Some(total), Some(forward)) = (
            at(R::Received),
            at(R::CarriedOver),
            at(R::Total),
            at(R::CarriedForward),
        ) else {
            continue;
        };
        let incoming = received + carried;
        if incoming == total + forward {
            continue;
        }
        let advice = match incoming.checked_sub(total) {
            Some(expected) => format!("按此结转下年度应为 {expected}"),
            None => "办理结果总计已超过新收与上年结转之和，请核对".to_string(),
        };
        let message = format!(
            "{}的“{}”：本年新收 {received} + 上年结转 {carried} = {incoming}，应等于办理结果（七）总计 {total} + 结转下年度 {forward} = {}；{advice}",
            row_name(R::CarriedForward),
            column.key(),
            total + forward,
        );
        let (line, col) = forward_row.cells[c]
            .as_ref()
            .map_or(forward_row.at, |cell| (cell.line, cell.column));
        diags.push(Diagnostic::error(path, line, col, message).with_field(field));
    }
}

/// The values when every one is known.
pub(super) fn known<const R: usize, const C: usize>(
    values: &Values<R, C>,
) -> Option<[[u64; C]; R]> {
    let mut out = [[0; C]; R];
    for (row, known) in values.iter().zip(out.iter_mut()) {
        for (value, slot) in row.iter().zip(known.iter_mut()) {
            *slot = (*value)?;
        }
    }
    Some(out)
}
