//! The office's sheets as grids of cells: `.xlsx`, `.xls` and `.ods` through
//! calamine, `.csv` through csv (UTF-8, or GBK as Excel writes it on a
//! Chinese Windows). Limits hold before anything grows: a file over 20 MB is
//! refused unread, an xlsx sheet is read cell by cell and refused at its
//! 100,001st row, a cell beyond the 200th column is refused, and a zip whose
//! parts would inflate past 200 MB is refused before calamine opens it.

use std::io::Cursor;

/// The largest sheet file read.
pub const MAX_BYTES: u64 = 20 * 1024 * 1024;
/// The most rows a sheet may have.
pub const MAX_ROWS: usize = 100_000;
/// The most columns a sheet may have.
pub const MAX_COLUMNS: usize = 200;
/// The most a workbook's zip parts may inflate to.
const MAX_INFLATED: u64 = 200 * 1024 * 1024;

/// One cell's value.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    /// Nothing written.
    Empty,
    /// Text, trimmed.
    Text(String),
    /// A number.
    Number(f64),
}

impl Cell {
    /// The cell as the clerk typed it, for messages.
    pub fn shown(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(t) => t.clone(),
            Cell::Number(n) => format_number(*n),
        }
    }

    /// The cell's text (a number as written), trimmed; empty for none.
    pub fn text(&self) -> String {
        self.shown().trim().to_string()
    }

    /// The cell as a number: a number, or text that reads as one.
    pub fn number(&self) -> Option<f64> {
        match self {
            Cell::Number(n) => Some(*n).filter(|n| n.is_finite()),
            Cell::Text(t) => t.trim().parse::<f64>().ok().filter(|n| n.is_finite()),
            Cell::Empty => None,
        }
    }

    fn of_text(text: &str) -> Cell {
        let t = text.trim();
        if t.is_empty() {
            Cell::Empty
        } else {
            Cell::Text(t.to_string())
        }
    }
}

/// `95`, `95.5`: a number without a trailing `.0`.
pub fn format_number(n: f64) -> String {
    if n.fract() == 0.0 && n.abs() < 1e15 {
        format!("{}", n as i64)
    } else {
        format!("{n}")
    }
}

/// One sheet: its name and rows (row 0 is the sheet's row 1).
#[derive(Clone, Debug, PartialEq)]
pub struct Grid {
    /// The file's name, and the sheet's within it.
    pub sheet: String,
    /// The rows, each as long as it was written.
    pub rows: Vec<Vec<Cell>>,
}

impl Grid {
    /// The cell at `row`, `col` (0-based); empty outside what was written.
    pub fn cell(&self, row: usize, col: usize) -> &Cell {
        self.rows
            .get(row)
            .and_then(|r| r.get(col))
            .unwrap_or(&Cell::Empty)
    }

    fn put(&mut self, row: usize, col: usize, cell: Cell) -> Result<(), String> {
        if row >= MAX_ROWS {
            return Err(format!(
                "「{}」超过 {MAX_ROWS} 行，无法读取：请检查是否选错了文件。",
                self.sheet
            ));
        }
        if col >= MAX_COLUMNS {
            return Err(format!(
                "「{}」超过 {MAX_COLUMNS} 列，无法读取：请检查是否选错了文件。",
                self.sheet
            ));
        }
        if cell == Cell::Empty {
            return Ok(());
        }
        if self.rows.len() <= row {
            self.rows.resize_with(row + 1, Vec::new);
        }
        let r = &mut self.rows[row];
        if r.len() <= col {
            r.resize(col + 1, Cell::Empty);
        }
        r[col] = cell;
        Ok(())
    }
}

/// The sheets of the file `name` (its extension says the format).
pub fn read(name: &str, bytes: &[u8]) -> Result<Vec<Grid>, String> {
    if bytes.len() as u64 > MAX_BYTES {
        return Err(too_large(name));
    }
    let lower = name.to_lowercase();
    if lower.ends_with(".csv") {
        return csv_grid(name, bytes).map(|g| vec![g]);
    }
    if !(lower.ends_with(".xlsx") || lower.ends_with(".xls") || lower.ends_with(".ods")) {
        return Err(format!(
            "「{name}」不是表格文件：请上传 .xlsx、.xls、.ods 或 .csv。"
        ));
    }
    if lower.ends_with(".xlsx") || lower.ends_with(".ods") {
        inflated_size_ok(name, bytes)?;
    }
    workbook(name, bytes)
}

/// The file at `path` (named by its file name), its size checked before
/// any of it is read.
pub fn read_file(path: &std::path::Path) -> Result<(String, Vec<Grid>), super::Problem> {
    use super::Problem;
    let name = path
        .file_name()
        .map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().to_string());
    let too_large = || Problem::of("", too_large(&name));
    match std::fs::metadata(path) {
        Ok(meta) if meta.len() > MAX_BYTES => return Err(too_large()),
        Ok(_) => {}
        Err(e) => return Err(Problem::of("", format!("「{name}」无法读取：{e}"))),
    }
    let bytes = crate::limited_read::read_regular(path, MAX_BYTES).map_err(|_| too_large())?;
    let grids = read(&name, &bytes).map_err(|why| Problem::of("", why))?;
    Ok((name, grids))
}

/// The message for a file over the limit.
pub fn too_large(name: &str) -> String {
    format!("「{name}」超过 20 MB，无法读取：请只保留本月的数据后再上传。")
}

fn broken(name: &str, why: impl std::fmt::Display) -> String {
    format!(
        "「{name}」无法打开，文件可能已损坏或不是所说的格式（{why}）：请用 Excel 或 WPS 重新保存后再上传。"
    )
}

/// Refuses a zip whose parts say they inflate past [`MAX_INFLATED`].
fn inflated_size_ok(name: &str, bytes: &[u8]) -> Result<(), String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| broken(name, e))?;
    // The central directory's sizes; an entry it cannot tell counts as too big.
    let total = match archive.decompressed_size() {
        Some(total) => total,
        None => (0..archive.len()).fold(0u128, |sum, i| {
            let size = archive
                .by_index_raw(i)
                .map_or(u128::MAX, |f| u128::from(f.size()));
            sum.saturating_add(size)
        }),
    };
    if total > u128::from(MAX_INFLATED) {
        return Err(format!(
            "「{name}」解压后超过 200 MB，无法读取：请检查是否选错了文件。"
        ));
    }
    Ok(())
}

fn workbook(name: &str, bytes: &[u8]) -> Result<Vec<Grid>, String> {
    use calamine::Reader as _;
    let mut book = calamine::open_workbook_auto_from_rs(Cursor::new(bytes)).map_err(|e| broken(name, e))?;
    let names = book.sheet_names().to_vec();
    let mut out = Vec::new();
    for sheet in names {
        let mut grid = Grid {
            sheet: format!("{name}「{sheet}」"),
            rows: Vec::new(),
        };
        if let calamine::Sheets::Xlsx(x) = &mut book {
            // Cell by cell: a sheet of a million rows stops at the limit.
            let mut cells = x.worksheet_cells_reader(&sheet).map_err(|e| broken(name, e))?;
            while let Some(c) = cells.next_cell().map_err(|e| broken(name, e))? {
                let (row, col) = c.get_position();
                grid.put(row as usize, col as usize, of_data_ref(c.get_value()))?;
            }
        } else {
            let range = book.worksheet_range(&sheet).map_err(|e| broken(name, e))?;
            let (top, left) = range.start().unwrap_or((0, 0));
            for (r, row) in range.rows().enumerate() {
                for (c, value) in row.iter().enumerate() {
                    grid.put(top as usize + r, left as usize + c, of_data(value))?;
                }
            }
        }
        out.push(grid);
    }
    Ok(out)
}

fn of_data(value: &calamine::Data) -> Cell {
    use calamine::Data;
    match value {
        Data::Empty => Cell::Empty,
        Data::String(s) => Cell::of_text(s),
        Data::Float(f) => Cell::Number(*f),
        Data::Int(i) => Cell::Number(*i as f64),
        other => Cell::of_text(&other.to_string()),
    }
}

fn of_data_ref(value: &calamine::DataRef<'_>) -> Cell {
    use calamine::DataRef;
    match value {
        DataRef::Empty => Cell::Empty,
        DataRef::String(s) => Cell::of_text(s),
        DataRef::SharedString(s) => Cell::of_text(s),
        DataRef::Float(f) => Cell::Number(*f),
        DataRef::Int(i) => Cell::Number(*i as f64),
        other => Cell::of_text(&calamine::Data::from(other.clone()).to_string()),
    }
}

fn csv_grid(name: &str, bytes: &[u8]) -> Result<Grid, String> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    // Excel on a Chinese Windows saves CSV in GBK.
    let text = match std::str::from_utf8(bytes) {
        Ok(t) => std::borrow::Cow::Borrowed(t),
        Err(_) => {
            let (t, _, bad) = encoding_rs::GBK.decode(bytes);
            if bad {
                return Err(broken(name, "既不是 UTF-8 也不是 GBK 编码"));
            }
            t
        }
    };
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut grid = Grid {
        sheet: name.to_string(),
        rows: Vec::new(),
    };
    for (r, record) in reader.records().enumerate() {
        let record = record.map_err(|e| broken(name, e))?;
        for (c, field) in record.iter().enumerate() {
            grid.put(r, c, Cell::of_text(field))?;
        }
    }
    Ok(grid)
}

/// `A`, `B`, …, `Z`, `AA`: the letters of a 0-based column.
pub fn column_letters(col: usize) -> String {
    let mut n = col + 1;
    let mut out = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        out.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn columns_are_lettered_as_in_a_spreadsheet() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27), "AB");
    }

    #[test]
    fn a_gbk_csv_reads_as_utf8_does() {
        let utf8 = "村,垃圾分类\n珍珠村,4.5\n";
        let (gbk, _, _) = encoding_rs::GBK.encode(utf8);
        let a = read("a.csv", utf8.as_bytes()).unwrap();
        let b = read("a.csv", &gbk).unwrap();
        assert_eq!(a[0].rows, b[0].rows);
        assert_eq!(a[0].cell(1, 0), &Cell::Text("珍珠村".into()));
        assert_eq!(a[0].cell(1, 1).number(), Some(4.5));
    }

    #[test]
    fn too_many_rows_or_columns_are_refused() {
        let mut many = String::new();
        for i in 0..=MAX_ROWS {
            many.push_str(&format!("{i}\n"));
        }
        assert!(read("a.csv", many.as_bytes())
            .unwrap_err()
            .contains("超过 100000 行"));
        let wide = vec!["x"; MAX_COLUMNS + 1].join(",");
        assert!(read("a.csv", wide.as_bytes())
            .unwrap_err()
            .contains("超过 200 列"));
        assert!(read("a.xlsx", b"not a zip").unwrap_err().contains("无法打开"));
        assert!(read("a.txt", b"x").unwrap_err().contains("不是表格文件"));
    }
}
