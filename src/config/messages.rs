//! The message catalogue: every diagnostic the config checks write, in
//! English (as written where the check is) and in Chinese. The console
//! always shows the Chinese; the CLI shows it when `LANG` starts with `zh`.
//!
//! An entry is an English pattern, its `{}` standing for a value (a key, a
//! number, a quoted name), and the Chinese with `{0}`, `{1}`… for those
//! values. A message no entry matches is read as a TOML or serde error, and
//! failing that shown as [`FALLBACK`] (the English stays for the CLI).

/// Which language a message is rendered in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    /// English: the CLI's default.
    En,
    /// Chinese: the console's, and the CLI's under a `zh` locale.
    Zh,
}

impl Lang {
    /// The CLI's language from the environment: Chinese when `LC_ALL`,
    /// `LC_MESSAGES` or `LANG` (the first set) starts with `zh`.
    pub fn from_env() -> Lang {
        let locale = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|k| std::env::var(k).ok())
            .find(|v| !v.is_empty())
            .unwrap_or_default();
        if locale.starts_with("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    }
}

/// (English pattern, Chinese). Longer, more specific patterns first.
const CATALOGUE: &[(&str, &str)] = &[
    // Items and their windows.
    (
        "duration must be a positive number of seconds, at most a day (86400)",
        "时长应为正数（秒），最多一天（86400）",
    ),
    ("e.g. duration = 10", "例如 duration = 10"),
    (
        "an item must choose exactly one of board, list, notice, message or select",
        "每个项目只能选择一种内容：榜单、名单、通知、消息或筛选",
    ),
    (
        "e.g. board = \"{}\" or select = { list = \"red\" }",
        "例如 board = \"{0}\" 或 select = { list = \"red\" }",
    ),
    (
        "rows must be a positive number or \"fit\"",
        "每页行数应为正数或 \"fit\"",
    ),
    (
        "e.g. rows = 8, or rows = \"fit\" for as many as fit",
        "例如 rows = 8；或 rows = \"fit\"，能放多少放多少",
    ),
    ("transition duration {} is out of range", "转场时长 {0} 超出范围"),
    (
        "give 0 to 10 seconds, e.g. transition = { kind = \"fade\", duration = 0.6 }",
        "填 0 到 10 秒，例如 transition = { kind = \"fade\", duration = 0.6 }",
    ),
    ("unknown transition `{}`", "没有这种转场：`{0}`"),
    ("unknown level `{}`", "没有这个级别：`{0}`"),
    ("unknown list kind `{}`", "没有这种名单：`{0}`"),
    ("unknown view `{}`", "没有这种视图：`{0}`"),
    (
        "a view shows boards, not lists or notices",
        "视图只用于榜单，不能用于名单或通知",
    ),
    (
        "e.g. select = { level = \"township\", view = \"scores\" }",
        "例如 select = { level = \"township\", view = \"scores\" }",
    ),
    ("unknown day `{}`", "没有这一天：`{0}`"),
    ("did you mean `{}`?", "是不是 `{0}`？"),
    ("`` is not a time of day", "时刻没有填写"),
    ("`{}` is not a time of day", "`{0}` 不是一天中的时刻"),
    (
        "write 24-hour HH:MM, e.g. \"08:00\" or \"17:30\"",
        "用 24 小时制“时:分”，例如 08:00 或 17:30",
    ),
    ("`{}` is not a date", "`{0}` 不是日期"),
    ("write YYYY-MM-DD", "写成 年-月-日，例如 2026-12-01"),
    ("`from` and `until` must differ", "开始和结束时刻不能相同"),
    (
        "this window is empty: `from` equals `until`",
        "这个时段是空的：开始等于结束",
    ),
    ("give the window a length", "请让时段有一定长度"),
    (
        "this window overlaps an earlier one of the same item",
        "这个时段与同一项目前面的时段重叠",
    ),
    ("merge the two windows", "请把两个时段合并"),
    ("display hours are empty", "开屏时段是空的"),
    (
        "the playlist is empty: the screen shows the idle slide",
        "节目单是空的：屏幕将显示空闲画面",
    ),
    ("add [[playlist]] items", "请添加节目单项目"),
    // The feed.
    (
        "board `{}` matches nothing in the current feed",
        "当前数据中没有榜单 `{0}`",
    ),
    (
        "list `{}` matches nothing in the current feed",
        "当前数据中没有名单 `{0}`",
    ),
    (
        "notice `{}` matches nothing in the current feed",
        "当前数据中没有通知 `{0}`",
    ),
    (
        "the selector matches nothing in the current feed",
        "当前数据中没有符合这个筛选的内容",
    ),
    ("the feed has: {}", "当前数据中有：{0}"),
    (
        "a config from a URL may name only an http:// or https:// feed, not a file",
        "从网址取得的配置只能指向 http:// 或 https:// 的数据，不能指向文件",
    ),
    (
        "give the feed's URL, or --feed FILE on the screen's own command line",
        "请填写数据的网址，或在屏幕自己的命令行上用 --feed 文件",
    ),
    // Keys.
    (
        "unknown key `{}` at the top level",
        "不认识的键 `{0}`（在最外层）",
    ),
    ("unknown key `{}` in [{}]", "不认识的键 `{0}`（在 [{1}] 中）"),
    ("known keys here: {}", "这里可用的键：{0}"),
    (
        "`{}` in [{}] comes only from the screen's own files, not from a URL",
        "[{1}] 中的 `{0}` 只能写在屏幕自己的文件里，不能由控制台下发",
    ),
    (
        "set it in the --screen-config file (or on the command line) of each screen",
        "请在每块屏幕的 --screen-config 文件（或命令行）中设置",
    ),
    // The screen.
    ("screen size `{}` is not usable", "屏幕尺寸 `{0}` 不可用"),
    (
        "write \"monitor\" or WIDTHxHEIGHT, e.g. \"1920x1080\"",
        "写 \"monitor\"（跟随显示器）或 宽x高，例如 \"1920x1080\"",
    ),
    ("use 0, 90, 180 or 270", "用 0、90、180 或 270"),
    (
        "a strip or very wide panel cannot be turned; use rotation 0 or 180",
        "条屏或很宽的屏不能竖放；请用 0 或 180",
    ),
    (
        "turned a quarter, the panel is too narrow to lay out: {}",
        "转 90 度后屏幕太窄，无法排版：{0}",
    ),
    ("unknown time zone `{}`", "没有这个时区：`{0}`"),
    (
        "use \"Asia/Shanghai\", \"UTC\" or an offset like \"+08:00\"",
        "用 \"Asia/Shanghai\"、\"UTC\" 或 \"+08:00\" 这样的时差",
    ),
    ("pixel_shift {} is too large", "防烧屏位移 {0} 太大"),
    (
        "a few pixels (0 to 32) are enough against burn-in",
        "防烧屏只需几个像素（0 到 32）",
    ),
    (
        "pixel_shift_minutes must be at least 1",
        "防烧屏位移间隔至少 1 分钟",
    ),
    ("e.g. pixel_shift_minutes = 4", "例如 pixel_shift_minutes = 4"),
    ("scroll_speed {} is out of range", "滚动速度 {0} 超出范围"),
    (
        "give 10 to 2000 pixels per second; 120 is 2 pixels a frame at 60 Hz",
        "填每秒 10 到 2000 像素；120 即 60 Hz 下每帧 2 像素",
    ),
    ("max_time {} is out of range", "最长轮播时间 {0} 超出范围"),
    (
        "give 10 to 86400 seconds per cycle; the default 300 lets a long list continue at its next turn",
        "每轮填 10 到 86400 秒；默认 300，长名单下一轮接着播",
    ),
    ("play_log_max_mb {} is out of range", "播放记录上限 {0} 超出范围"),
    (
        "give 1 to 1024 (MiB); 16 keeps months of entries",
        "填 1 到 1024（MiB）；16 可存几个月的记录",
    ),
    // Reports and the status server.
    ("report interval {} s is out of range", "报告间隔 {0} 秒超出范围"),
    (
        "give 10 to 3600 seconds; 60 suits most screens",
        "填 10 到 3600 秒；多数屏幕用 60",
    ),
    (
        "report url `{}` is not an http:// or https:// address",
        "报告网址 `{0}` 不是 http:// 或 https:// 地址",
    ),
    (
        "a report url needs the screen's token",
        "有报告网址就要有屏幕的令牌",
    ),
    (
        "add token = \"…\" to [report]: the console shows it once when the screen is enrolled",
        "在 [report] 中加上 token = \"…\"：添加屏幕时控制台会显示一次",
    ),
    (
        "a report token without a url: this screen reports nowhere",
        "有令牌却没有报告网址：这块屏幕不会向任何地方报告",
    ),
    (
        "add url = \"https://console…/api/report\" to [report], or remove the section",
        "在 [report] 中加上 url = \"https://console…/api/report\"，或删去这一节",
    ),
    (
        "status address `{}` is not HOST:PORT",
        "状态服务地址 `{0}` 不是“主机:端口”",
    ),
    (
        "e.g. addr = \"127.0.0.1:9470\", or \"off\"",
        "例如 addr = \"127.0.0.1:9470\"，或 \"off\"",
    ),
    (
        "add token = \"…\" to [status]",
        "在 [status] 中加上 token = \"…\"",
    ),
    (
        "the token has {} characters; at least {} are needed",
        "令牌只有 {0} 个字符，至少要 {1} 个",
    ),
    (
        "use a long random one, e.g. the output of `openssl rand -hex 16`",
        "请用一个长的随机令牌，例如 `openssl rand -hex 16` 的输出",
    ),
    (
        "paste the key `rankwall feed keygen` printed (44 characters of base64)",
        "粘贴 `rankwall feed keygen` 打印的公钥（44 个 base64 字符）",
    ),
    // Feed ids and choices.
    (
        "did you mean `{}`? (ids change monthly: a select = { … } item survives that)",
        "是不是 `{0}`？（编号每月会变：用 select = { … } 选内容的项目不受影响）",
    ),
    (
        "the feed has nothing of this kind now; the item is skipped",
        "当前数据中没有这类内容：这一项暂时跳过",
    ),
    (
        "use cut, fade or slide",
        "可用 cut（直接切换）、fade（淡入淡出）或 slide（滑动）",
    ),
    ("use {}", "可用：{0}"),
    (
        "rotation {} is not a quarter turn",
        "旋转角度 {0} 不是 90 度的整数倍",
    ),
    (
        "status address `{}` is not HOST:PORT or `off`",
        "状态服务地址 `{0}` 不是“主机:端口”，也不是 `off`",
    ),
    (
        "give the console's address, e.g. url = \"https://console.example/api/report\"",
        "填控制台的地址，例如 url = \"https://console.example/api/report\"",
    ),
    // An LED controller's output region.
    (
        "give `output` or `size`, not both",
        "`output` 和 `size` 只能写一个",
    ),
    (
        "with a region, output is the frame's size",
        "有输出区域时，output 就是整帧的大小",
    ),
    ("output `{}` is not a video mode", "输出 `{0}` 不是视频模式"),
    (
        "write WIDTHxHEIGHT, e.g. \"1920x1080\"",
        "写成“宽x高”，例如 \"1920x1080\"",
    ),
    ("a region needs the output's size", "输出区域需要知道整帧的大小"),
    (
        "add output = \"1920x1080\" (the video mode the controller takes)",
        "加上 output = \"1920x1080\"（控制器接收的视频模式）",
    ),
    (
        "region {}x{} at ({}, {}) lies outside the {}x{} output",
        "区域 {0}x{1}（位置 {2}, {3}）超出了 {4}x{5} 的输出",
    ),
    ("move or shrink the region", "请移动或缩小这个区域"),
    (
        "the region is too small to lay out: {}",
        "区域太小，无法排版：{0}",
    ),
    ("a region of at least 320x128", "区域至少 320x128"),
    ("brightness_ramp {} s is too long", "亮度渐变时间 {0} 秒太长"),
    (
        "present `{}` is not auto, gpu or cpu",
        "present 只能是 auto、gpu 或 cpu，不是 `{0}`",
    ),
    (
        "e.g. present = \"auto\" (the CPU on a software adapter, else the GPU)",
        "例如 present = \"auto\"（软件渲染时用 CPU，否则用 GPU）",
    ),
    ("give 0 to 3600 seconds, e.g. 10", "填 0 到 3600 秒，例如 10"),
    (
        "brightness level {} is outside 0.05 to 1",
        "亮度 {0} 不在 0.05 到 1 之间",
    ),
    (
        "e.g. level = 0.55 (outside display_hours the screen is off anyway)",
        "例如 level = 0.55（开屏时段以外屏幕本来就是关的）",
    ),
    ("dimmed hours are empty", "调暗时段是空的"),
    // A video wall.
    (
        "a tile of a wall needs its panel's size",
        "墙上的每块屏都要写明屏幕尺寸",
    ),
    (
        "set [screen] size, e.g. \"1920x1080\"",
        "在 [screen] 中写 size，例如 \"1920x1080\"",
    ),
    (
        "the viewport is {}x{} but the panel shows {}x{}",
        "视窗是 {0}x{1}，但这块屏显示 {2}x{3}",
    ),
    ("a viewport is the panel's own size", "视窗应与这块屏的尺寸相同"),
    (
        "give the tile's place: tile = { col, row } with grid, or viewport",
        "请写明这块屏的位置：grid 加 tile = { col, row }，或 viewport",
    ),
    (
        "e.g. grid = \"3x2\" and tile = { col = 0, row = 1 }",
        "例如 grid = \"3x2\" 和 tile = { col = 0, row = 1 }",
    ),
    (
        "the viewport {}x{} at ({}, {}) lies outside the {}x{} canvas",
        "视窗 {0}x{1}（位置 {2}, {3}）超出了 {4}x{5} 的画布",
    ),
    (
        "check canvas, grid, tile and bezels",
        "请检查 canvas、grid、tile 和边框",
    ),
    ("a tile needs the wall's grid", "tile 需要整面墙的 grid"),
    ("e.g. grid = \"3x2\"", "例如 grid = \"3x2\""),
    ("grid `{}` is not COLUMNSxROWS", "grid `{0}` 不是“列x行”"),
    (
        "tile ({}, {}) is outside the {}x{} grid",
        "tile ({0}, {1}) 超出了 {2}x{3} 的网格",
    ),
    ("columns and rows count from 0", "列和行都从 0 开始数"),
    (
        "bezels need the panel's visible size in mm",
        "有边框时要写明屏幕可视区域的毫米尺寸",
    ),
    (
        "add panel_mm = { width = 1209.6, height = 680.4 }",
        "加上 panel_mm = { width = 1209.6, height = 680.4 }",
    ),
    (
        "bezel and panel sizes must be positive millimetres",
        "边框和屏幕尺寸应为正的毫米数",
    ),
    (
        "e.g. bezel_mm = { h = 3.5, v = 3.5 }",
        "例如 bezel_mm = { h = 3.5, v = 3.5 }",
    ),
    (
        "a viewport needs the wall's canvas",
        "viewport 需要整面墙的 canvas",
    ),
    ("e.g. canvas = \"5760x2160\"", "例如 canvas = \"5760x2160\""),
    (
        "canvas `{}` is not a size rankwall lays out",
        "画布 `{0}` 不是可以排版的尺寸",
    ),
    (
        "WIDTHxHEIGHT: 320 to 8192 wide, 128 to 8192 high",
        "宽x高：宽 320 到 8192，高 128 到 8192",
    ),
    (
        "the grid with its bezels needs a {}x{} canvas",
        "这个网格连同边框需要 {0}x{1} 的画布",
    ),
    (
        "leave canvas out to use the grid's size",
        "去掉 canvas 即按网格计算",
    ),
    // Messages written in the playlist.
    (
        "a message needs its text: body = \"…\"",
        "消息要有正文：body = \"…\"",
    ),
    (
        "e.g. message = { title = \"停水通知\", body = \"明日 8:00 至 12:00 停水\" }",
        "例如 message = { title = \"停水通知\", body = \"明日 8:00 至 12:00 停水\" }",
    ),
    (
        "the message's body has {} characters; at most {}",
        "消息正文有 {0} 个字，最多 {1} 个",
    ),
    (
        "shorten it, or split it into two messages",
        "请删减，或分成两条消息",
    ),
    (
        "the message's title has {} characters; at most {}",
        "消息标题有 {0} 个字，最多 {1} 个",
    ),
    (
        "a title is read from afar: keep it short",
        "标题要让人远远就能看清，请写短一些",
    ),
    ("`{}` is not a date and time", "`{0}` 不是日期和时刻"),
    (
        "write it as 2026-12-05T08:00:00+08:00",
        "请写成 2026-12-05T08:00:00+08:00 这样的格式",
    ),
    ("the message ends before it starts", "消息的结束时间早于开始时间"),
    ("until must be later than from", "until 要晚于 from"),
    (
        "the grid with its bezels makes a {}x{} canvas, more than {} pixels a side",
        "这个网格连同边框的画布是 {0}x{1}，超过了每边 {2} 像素",
    ),
    (
        "split the wall into walls of at most 8192 pixels a side",
        "请把这面墙分成几面每边不超过 8192 像素的墙",
    ),
    (
        "a tile of a wall cannot also take a region of its output",
        "拼接墙的一块屏不能同时设置输出区域（region）",
    ),
    (
        "leave [screen] region out: each box of a wall drives its panel whole",
        "请去掉 [screen] 的 region：拼接墙的每台主机驱动整块屏",
    ),
    // Files and folders the config names.
    ("cannot use {}: {}", "无法使用 {0}：{1}"),
    (
        "give the path of an existing file readable by the screen's user",
        "请填一个存在、且运行屏幕程序的用户能读取的文件路径",
    ),
    (
        "{} exists and is not a regular file",
        "{0} 已存在，但不是普通文件",
    ),
    ("{} exists and is not a folder", "{0} 已存在，但不是文件夹"),
    ("{} is not a regular file", "{0} 不是普通文件"),
    (
        "name a font or certificate file, not a folder or a device",
        "请填字体或证书文件，而不是文件夹或设备",
    ),
    ("name a font or certificate file", "请填字体或证书文件"),
    ("{} is larger than {} MiB", "{0} 大于 {1} MiB"),
    ("check the path", "请检查路径"),
    (
        "the log is written only to a plain file (never through a link)",
        "日志只写入普通文件（不经过链接）",
    ),
    (
        "name a folder (it is created when missing)",
        "请填一个文件夹（不存在时会自动创建）",
    ),
    // TOML itself and value types.
    (
        "check the value's type against docs/configuration.md",
        "请对照配置说明检查这个值的类型",
    ),
];

/// What feed validation says of a dropped or cleaned item (`feed::Finding`),
/// for the console's 数据 page.
const FEED_CATALOGUE: &[(&str, &str)] = &[
    ("`{}` is missing", "缺少 `{0}`"),
    ("`{}` is empty", "`{0}` 是空的"),
    ("`{}` must be a string, found {}", "`{0}` 应为文本，实际是{1}"),
    ("expected a string, found {}", "应为文本，实际是{0}"),
    ("expected a number, found {}", "应为数字，实际是{0}"),
    ("expected an array, found {}", "应为列表，实际是{0}"),
    ("expected an object, found {}", "应为对象，实际是{0}"),
    (
        "sub-score must be a number, found {}",
        "分项得分应为数字，实际是{0}",
    ),
    (
        "must be an integer ≥ 1 or null, found {}",
        "应为不小于 1 的整数或 null，实际是 {0}",
    ),
    (
        "{} of {} left out: at most {} are shown",
        "共 {1} 条，最多显示 {2} 条，{0} 条未显示",
    ),
    (
        "`id` {} does not match [a-z0-9_-]{1,64}",
        "编号 {0} 不合规（只能用小写字母、数字、_ 和 -，最多 64 个）",
    ),
    (
        "`id` {} is a duplicate; the first item with it is kept",
        "编号 {0} 重复：保留第一个",
    ),
    (
        "`level` must be \"township\", \"village\" or \"household\"",
        "级别应为 township（乡镇）、village（村）或 household（户）",
    ),
    (
        "`kind` must be \"red\" or \"black\"",
        "名单类型应为 red（红榜）或 black（黑榜）",
    ),
    (
        "`count` must be an integer ≥ 0, found {}",
        "`count`（获奖数）应为不小于 0 的整数，实际是 {0}",
    ),
    ("must be a number > 0, found {}", "应为大于 0 的数，实际是 {0}"),
    (
        "`rank` must be an integer ≥ 1, found {}",
        "`rank`（名次）应为不小于 1 的整数，实际是 {0}",
    ),
    ("{} control character(s) removed", "删去 {0} 个控制字符"),
    (
        "cut from {} to {} characters and ended with \"…\"",
        "从 {0} 个字截短到 {1} 个，末尾加“…”",
    ),
];

/// A feed finding's message in Chinese: the whole message, else each part
/// joined by ", ", is looked up, and a kind word (`a string`, `null`) is put in Chinese.
pub fn feed_chinese(message: &str) -> String {
    // A whole message first: some ("expected a number, found a string")
    // hold ", " themselves.
    if let Some(zh) = lookup(FEED_CATALOGUE, message) {
        return kind_words(&zh);
    }
    message
        .split(", ")
        .map(|part| {
            lookup(FEED_CATALOGUE, part)
                .map(|zh| kind_words(&zh))
                .unwrap_or_else(|| "数据项有误".to_string())
        })
        .collect::<Vec<_>>()
        .join("，")
}

fn kind_words(text: &str) -> String {
    [
        ("a string", "文本"),
        ("a number", "数字"),
        ("an array", "列表"),
        ("an object", "对象"),
        ("a boolean", "是/否"),
        ("null", "空值"),
    ]
    .iter()
    .fold(text.to_string(), |t, (en, zh)| t.replace(en, zh))
}

/// `message` in `lang`: as written for English, from the catalogue for Chinese.
pub fn render(message: &str, lang: Lang) -> String {
    match lang {
        Lang::En => message.to_string(),
        Lang::Zh => chinese(message).unwrap_or_else(|| toml_error(message)),
    }
}

/// The catalogue's Chinese for `message`, if an entry matches it.
pub fn chinese(message: &str) -> Option<String> {
    lookup(CATALOGUE, message)
}

fn lookup(catalogue: &[(&str, &str)], message: &str) -> Option<String> {
    catalogue.iter().find_map(|(pattern, zh)| {
        let values = matches(pattern, message)?;
        let mut out = (*zh).to_string();
        for (i, v) in values.iter().enumerate() {
            out = out.replace(&format!("{{{i}}}"), v);
        }
        Some(out)
    })
}

/// The values standing for `{}` when `message` fits `pattern`.
fn matches<'m>(pattern: &str, message: &'m str) -> Option<Vec<&'m str>> {
    let mut parts = pattern.split("{}");
    let first = parts.next().unwrap_or("");
    let mut rest = message.strip_prefix(first)?;
    let mut values = Vec::new();
    let literals: Vec<&str> = parts.collect();
    for (i, literal) in literals.iter().enumerate() {
        let last = i + 1 == literals.len();
        let at = if last {
            rest.strip_suffix(literal).map(str::len)
        } else if literal.is_empty() {
            Some(rest.len())
        } else {
            rest.find(literal)
        }?;
        values.push(&rest[..at]);
        rest = &rest[at + literal.len()..];
    }
    rest.is_empty().then_some(values)
}

/// The Chinese for what TOML and serde say of a file: the kinds of mistake
/// a clerk makes, and a general one for the rest.
fn toml_error(message: &str) -> String {
    // The config check puts the key a value error is about in front.
    if let Some((key, rest)) = message.strip_prefix('`').and_then(|m| m.split_once("`: ")) {
        return format!("键 `{key}`：{}", toml_error(rest));
    }
    let first = message.lines().next().unwrap_or("");
    let kind = |t: &str| match t.split_whitespace().next().unwrap_or("") {
        "string" => "文本",
        "integer" => "整数",
        "float" | "f64" | "f32" => "数字",
        "boolean" | "bool" => "是/否（true 或 false）",
        "sequence" | "array" => "列表",
        "map" | "table" => "表",
        "datetime" => "日期时间",
        _ => "其他值",
    };
    if let Some(rest) = first.strip_prefix("invalid type: ") {
        let (got, expected) = rest.split_once(", expected ").unwrap_or((rest, ""));
        return format!(
            "值的类型不对：这里应为{}，写成了{}",
            kind(expected.trim_start_matches("a ").trim_start_matches("an ")),
            kind(got)
        );
    }
    if let Some(field) = first.strip_prefix("missing field ") {
        return format!("缺少必填的键 {field}");
    }
    if let Some(rest) = first.strip_prefix("unknown variant ") {
        return format!("不认识的取值 {}", rest.split(',').next().unwrap_or(rest));
    }
    if let Some(rest) = first.strip_prefix("duplicate key ") {
        return format!("键 {} 写了两次", rest.split(' ').next().unwrap_or(rest));
    }
    if first.starts_with("invalid value") {
        return "值不对，请检查这一行".into();
    }
    if first.starts_with("unclosed") || first.contains("expected `]") || first.contains("expected `}") {
        return "括号没有配对：请检查这一行的 [ ] 或 { }".into();
    }
    if first.contains("string") || first.contains('"') {
        return "文本没有写对：文字要放在英文双引号 \" \" 里".into();
    }
    FALLBACK.into()
}

/// The Chinese of a message neither the catalogue nor the TOML and serde
/// patterns know. `tests/it/config.rs` renders every message its cases
/// produce and fails on this, so a new English message without its Chinese
/// is caught there rather than in front of a clerk.
pub const FALLBACK: &str = "这一行的写法有误，请检查等号、引号和括号";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_are_carried_into_the_chinese() {
        assert_eq!(
            render("unknown key `durtion` in [playlist]", Lang::Zh),
            "不认识的键 `durtion`（在 [playlist] 中）"
        );
        assert_eq!(
            render("the token has 8 characters; at least 16 are needed", Lang::Zh),
            "令牌只有 8 个字符，至少要 16 个"
        );
        assert_eq!(
            render("`25:00` is not a time of day", Lang::Zh),
            "`25:00` 不是一天中的时刻"
        );
        assert_eq!(render("`` is not a time of day", Lang::Zh), "时刻没有填写");
        assert_eq!(render("did you mean `rows`?", Lang::En), "did you mean `rows`?");
    }

    #[test]
    fn file_and_choice_messages_have_their_chinese() {
        for message in [
            "/etc/x.pem is larger than 8 MiB",
            "/var/log/x exists and is not a regular file",
            "cannot use /x: permission denied",
            "use mon, tue, wed, thu, fri, sat, sun",
            "rotation 45 is not a quarter turn",
            "did you mean `towns-2026-11`? (ids change monthly: a select = { … } item survives that)",
        ] {
            let said = render(message, Lang::Zh);
            assert_ne!(said, FALLBACK, "{message}");
        }
        assert_eq!(render("/x is larger than 8 MiB", Lang::Zh), "/x 大于 8 MiB");
    }

    #[test]
    fn toml_and_serde_errors_become_chinese() {
        let said = render("invalid type: string \"abc\", expected f64", Lang::Zh);
        assert_eq!(said, "值的类型不对：这里应为数字，写成了文本");
        assert!(render("unclosed array table, expected `]]`", Lang::Zh).contains("括号"));
        assert!(!render("something new", Lang::Zh).is_empty());
        assert_eq!(
            feed_chinese(
                "2 control character(s) removed, cut from 300 to 200 characters and ended with \"…\""
            ),
            "删去 2 个控制字符，从 300 个字截短到 200 个，末尾加“…”"
        );
        assert_eq!(
            feed_chinese("expected a number, found a string"),
            "应为数字，实际是文本"
        );
        assert_eq!(
            render("`duration`: invalid type: string \"abc\", expected f64", Lang::Zh),
            "键 `duration`：值的类型不对：这里应为数字，写成了文本"
        );
    }
}
