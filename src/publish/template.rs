//! The workbook a clerk fills each month, made from the scheme: a 乡镇
//! sheet and a 村 sheet with every unit already in its row and one column
//! per standard (its full marks in the heading, and a rule that takes only
//! a number from 0 to them), a 红黑榜 sheet for the households, and a 说明
//! sheet that says how. What the build reads back is exactly this shape.

use super::households::NAME_HEADER;
use super::month::Month;
use super::scheme::{Scheme, UnitLevel};
use super::scores::{PARENT_HEADER, TOWNSHIP_HEADER, VILLAGE_HEADER};
use super::sheet::format_number;
use rust_xlsxwriter::{
    Color, DataValidation, DataValidationRule, Format, FormatBorder, Workbook, Worksheet, XlsxError,
};

/// The sheet the build skips: instructions for the clerk.
pub const GUIDE_SHEET: &str = "说明";
/// Rows of the households sheet that take the 红榜/黑榜 rule.
const HOUSEHOLD_ROWS: u32 = 10_000;

/// The template for `month` as xlsx bytes.
pub fn template(scheme: &Scheme, month: Month) -> Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let head = Format::new()
        .set_bold()
        .set_text_wrap()
        .set_background_color(Color::RGB(0xFFF2CC))
        .set_border(FormatBorder::Thin);
    let has = |level| scheme.boards.iter().any(|b| b.level == level);
    if has(UnitLevel::Township) {
        let sheet = book.add_worksheet();
        sheet.set_name(TOWNSHIP_HEADER)?;
        let units: Vec<(String, Option<String>)> =
            scheme.townships.iter().map(|t| (t.name.clone(), None)).collect();
        scores_sheet(sheet, scheme, &head, TOWNSHIP_HEADER, &units)?;
    }
    if has(UnitLevel::Village) {
        let sheet = book.add_worksheet();
        sheet.set_name(VILLAGE_HEADER)?;
        let units: Vec<(String, Option<String>)> = (scheme.villages.iter())
            .map(|v| (v.name.clone(), Some(v.township.clone())))
            .collect();
        scores_sheet(sheet, scheme, &head, VILLAGE_HEADER, &units)?;
    }
    households_sheet(book.add_worksheet(), &head)?;
    guide_sheet(book.add_worksheet(), scheme, month)?;
    book.save_to_buffer()
}

fn scores_sheet(
    sheet: &mut Worksheet,
    scheme: &Scheme,
    head: &Format,
    first: &str,
    units: &[(String, Option<String>)],
) -> Result<(), XlsxError> {
    let villages = first == VILLAGE_HEADER;
    sheet.write_string_with_format(0, 0, first, head)?;
    sheet.set_column_width(0, 16)?;
    let mut col: u16 = 1;
    if villages {
        sheet.write_string_with_format(0, 1, PARENT_HEADER, head)?;
        sheet.set_column_width(1, 14)?;
        col = 2;
    }
    let rows = u32::try_from(units.len()).unwrap_or(u32::MAX);
    for (i, (name, parent)) in units.iter().enumerate() {
        let r = u32::try_from(i + 1).unwrap_or(u32::MAX);
        sheet.write_string(r, 0, name)?;
        if let Some(p) = parent {
            sheet.write_string(r, 1, p)?;
        }
    }
    for (_, name, max) in scheme.columns() {
        sheet.write_string_with_format(0, col, format!("{name}（满分{}分）", format_number(max)), head)?;
        sheet.set_column_width(col, 12)?;
        let rule = DataValidation::new()
            .allow_decimal_number(DataValidationRule::Between(0.0, max))
            .set_error_title("分数不对")?
            .set_error_message(format!("{name} 的分数应在 0 到 {} 之间。", format_number(max)))?;
        if rows > 0 {
            sheet.add_data_validation(1, col, rows, col, &rule)?;
        }
        col += 1;
    }
    sheet.set_row_height(0, 36)?;
    sheet.set_freeze_panes(1, if villages { 2 } else { 1 })?;
    Ok(())
}

fn households_sheet(sheet: &mut Worksheet, head: &Format) -> Result<(), XlsxError> {
    sheet.set_name("红黑榜")?;
    for (c, (title, width)) in [
        (NAME_HEADER, 10),
        ("乡镇", 12),
        ("村", 12),
        ("事由", 30),
        ("榜单", 8),
    ]
    .into_iter()
    .enumerate()
    {
        let c = u16::try_from(c).unwrap_or(0);
        sheet.write_string_with_format(0, c, title, head)?;
        sheet.set_column_width(c, width)?;
    }
    let rule = DataValidation::new()
        .allow_list_strings(&["红榜", "黑榜"])?
        .set_error_title("榜单不对")?
        .set_error_message("请填 红榜 或 黑榜。")?;
    sheet.add_data_validation(1, 4, HOUSEHOLD_ROWS, 4, &rule)?;
    sheet.set_freeze_panes(1, 0)?;
    Ok(())
}

fn guide_sheet(sheet: &mut Worksheet, scheme: &Scheme, month: Month) -> Result<(), XlsxError> {
    sheet.set_name(GUIDE_SHEET)?;
    sheet.set_column_width(0, 100)?;
    let lines = [
        format!("{} 农村人居环境整治考核表", month.label()),
        String::new(),
        "1. 在「乡镇」和「村」两张表中，为每个单位填写每项标准的得分（0 到满分之间的数字）。".to_string(),
        "2. 不要改动第 1 行的列名，也不要改动单位名称；没有得分的项目填 0。".to_string(),
        "3. 「红黑榜」每行一户：姓名、乡镇、村、事由，榜单填 红榜 或 黑榜。".to_string(),
        "4. 填好后在控制台的「数据录入」页上传，或交给管理员用 rankwall feed build 生成。".to_string(),
        format!(
            "本方案共 {} 项标准，满分 {} 分。",
            scheme.columns().len(),
            format_number(scheme.total_max())
        ),
    ];
    for (r, line) in lines.iter().enumerate() {
        sheet.write_string(u32::try_from(r).unwrap_or(0), 0, line)?;
    }
    Ok(())
}
