package i18n

// cliMessages holds the messages of the command line, of the read
// summary and of posture's notes, keyed by their English text: the code that prints one reads
// like the message itself, and a message missing here comes out in
// English. Flags, file names, commands to type and values stay as they
// are in every language.
var cliMessages = map[string]texts{
	// Usage errors.
	"unknown command %q":                                      {zh: "未知的命令 %q", it: "comando sconosciuto %q", ja: "不明なコマンド %q"},
	"unknown command %q (did you mean %s?)":                   {zh: "未知的命令 %q（您是指 %s 嗎？）", it: "comando sconosciuto %q (forse intendevi %s?)", ja: "不明なコマンド %q (%s のことですか?)"},
	"unknown subcommand %q":                                   {zh: "未知的子命令 %q", it: "sottocomando sconosciuto %q", ja: "不明なサブコマンド %q"},
	"unknown subcommand %q (did you mean %s?)":                {zh: "未知的子命令 %q（您是指 %s 嗎？）", it: "sottocomando sconosciuto %q (forse intendevi %s?)", ja: "不明なサブコマンド %q (%s のことですか?)"},
	"Run 'appwatch %s' for the list.":                         {zh: "執行 'appwatch %s' 可查看清單。", it: "Esegui 'appwatch %s' per l'elenco.", ja: "一覧は 'appwatch %s' で表示できます。"},
	"Run 'appwatch %s -h' for usage.":                         {zh: "執行 'appwatch %s -h' 可查看用法。", it: "Esegui 'appwatch %s -h' per l'uso.", ja: "使い方は 'appwatch %s -h' で表示できます。"},
	"unknown flag %s":                                         {zh: "未知的旗標 %s", it: "opzione sconosciuta %s", ja: "不明なフラグ %s"},
	"unknown flag %s (did you mean %s?)":                      {zh: "未知的旗標 %s（您是指 %s 嗎？）", it: "opzione sconosciuta %s (forse intendevi %s?)", ja: "不明なフラグ %s (%s のことですか?)"},
	"%s needs a value":                                        {zh: "%s 需要一個值", it: "%s richiede un valore", ja: "%s には値が必要です"},
	"unexpected argument %q":                                  {zh: "多餘的引數 %q", it: "argomento inatteso %q", ja: "想定外の引数 %q"},
	"want two snapshots, OLD and NEW":                         {zh: "需要兩個快照：OLD 與 NEW", it: "servono due snapshot, OLD e NEW", ja: "スナップショットを 2 つ (OLD と NEW) 指定してください"},
	"unexpected argument %q (give snapshots with --snapshot)": {zh: "多餘的引數 %q（快照請以 --snapshot 指定）", it: "argomento inatteso %q (indica gli snapshot con --snapshot)", ja: "想定外の引数 %q (スナップショットは --snapshot で指定します)"},
	"want one of %s":                                          {zh: "應為以下其中之一：%s", it: "valori ammessi: %s", ja: "次のいずれかを指定してください: %s"},
	"want a whole number":                                     {zh: "應為整數", it: "serve un numero intero", ja: "整数を指定してください"},
	"want 1 or more":                                          {zh: "應為 1 或以上", it: "serve 1 o più", ja: "1 以上を指定してください"},
	"want true or false":                                      {zh: "應為 true 或 false", it: "serve true o false", ja: "true または false を指定してください"},
	"want table, jsonl, json, csv, sarif or html, each alone or as FORMAT=FILE": {zh: "應為 table、jsonl、json、csv、sarif 或 html，可單獨指定或寫成 FORMAT=FILE", it: "servono table, jsonl, json, csv, sarif o html, da soli o come FORMAT=FILE", ja: "table、jsonl、json、csv、sarif、html のいずれかを、単独または FORMAT=FILE の形で指定してください"},
	"want a date (2026-06-01), a date and time (2026-06-01T08:00, UTC unless it has an offset) or a time ago (36h, 7d)": {
		zh: "應為日期（2026-06-01）、日期與時間（2026-06-01T08:00，未指定時差時為 UTC）或多久以前（36h、7d）",
		it: "serve una data (2026-06-01), una data e ora (2026-06-01T08:00, UTC se non ha uno scostamento) o un tempo fa (36h, 7d)",
		ja: "日付 (2026-06-01)、日時 (2026-06-01T08:00、オフセットがなければ UTC)、または何時間・何日前か (36h、7d) を指定してください"},
	"--lang %q: want one of %s":                                       {zh: "--lang %q：應為以下其中之一：%s", it: "--lang %q: valori ammessi: %s", ja: "--lang %q: 次のいずれかを指定してください: %s"},
	"-o %s: every --format already names its file":                    {zh: "-o %s：每個 --format 都已指定自己的檔案", it: "-o %s: ogni --format indica già il suo file", ja: "-o %s: どの --format にも出力先のファイルが指定済みです"},
	"--format auto cannot be one of several outputs: name the format": {zh: "--format auto 不能作為多個輸出之一：請指定格式", it: "--format auto non può essere una di più uscite: indica il formato", ja: "--format auto は複数の出力の 1 つにはできません。形式を指定してください"},
	"--format %s: only one output can go to standard output; give the others a file (FORMAT=FILE), or give -o BASE to write BASE.txt, BASE.sarif and so on": {
		zh: "--format %s：只能有一個輸出寫到標準輸出；請為其他輸出指定檔案（FORMAT=FILE），或以 -o BASE 寫出 BASE.txt、BASE.sarif 等檔案",
		it: "--format %s: solo un'uscita può andare sullo standard output; indica un file per le altre (FORMAT=FILE), oppure usa -o BASE per scrivere BASE.txt, BASE.sarif e così via",
		ja: "--format %s: 標準出力に書けるのは 1 つだけです。ほかの出力にはファイルを指定する (FORMAT=FILE) か、-o BASE で BASE.txt、BASE.sarif などに書き出してください"},
	"two outputs go to %s":                               {zh: "有兩個輸出寫到 %s", it: "due uscite vanno su %s", ja: "2 つの出力が %s に向いています"},
	"two outputs go to standard output":                  {zh: "有兩個輸出寫到標準輸出", it: "due uscite vanno sullo standard output", ja: "2 つの出力が標準出力に向いています"},
	"--since %s is not before --until %s":                {zh: "--since %s 不早於 --until %s", it: "--since %s non precede --until %s", ja: "--since %s が --until %s より前ではありません"},
	"--expiry-warning %d: want zero or more days":        {zh: "--expiry-warning %d：應為零天或以上", it: "--expiry-warning %d: servono zero o più giorni", ja: "--expiry-warning %d: 0 日以上を指定してください"},
	"no check or guide row %q; --list-checks lists them": {zh: "沒有名為 %q 的檢查或指南項目；--list-checks 會列出全部", it: "nessun controllo o riga della guida %q; --list-checks li elenca", ja: "チェックまたはガイド項目 %q はありません。--list-checks で一覧を表示できます"},
	"no check or guide row %q (did you mean %s?); --list-checks lists them": {
		zh: "沒有名為 %q 的檢查或指南項目（您是指 %s 嗎？）；--list-checks 會列出全部",
		it: "nessun controllo o riga della guida %q (forse intendevi %s?); --list-checks li elenca",
		ja: "チェックまたはガイド項目 %q はありません (%s のことですか?)。--list-checks で一覧を表示できます"},
	"--checks %s --skip-checks %s leave no check to run":                                               {zh: "--checks %s --skip-checks %s 使得沒有任何檢查可執行", it: "--checks %s --skip-checks %s non lasciano alcun controllo da eseguire", ja: "--checks %s --skip-checks %s では実行するチェックが残りません"},
	"no completion for shell %q: want one of %s":                                                       {zh: "沒有適用於殼層 %q 的自動完成：應為以下其中之一：%s", it: "nessun completamento per la shell %q: valori ammessi: %s", ja: "シェル %q 用の補完はありません。次のいずれかを指定してください: %s"},
	"--out DIR is required: the directory to write the snapshot to":                                    {zh: "必須指定 --out DIR：寫入快照的目錄", it: "serve --out DIR: la cartella in cui scrivere lo snapshot", ja: "--out DIR が必要です: スナップショットを書き込むディレクトリです"},
	"unexpected argument %q: sources are given with --source":                                          {zh: "多餘的引數 %q：來源請以 --source 指定", it: "argomento inatteso %q: le origini si indicano con --source", ja: "想定外の引数 %q: ソースは --source で指定します"},
	"--store is required (sqlite:PATH or postgres://USER@HOST:PORT/DB)":                                {zh: "必須指定 --store（sqlite:PATH 或 postgres://USER@HOST:PORT/DB）", it: "serve --store (sqlite:PATH o postgres://USER@HOST:PORT/DB)", ja: "--store が必要です (sqlite:PATH または postgres://USER@HOST:PORT/DB)"},
	"at least one --source is required (dir:PATH, kafka://, kafkas://, eventhub://, graph or posture)": {zh: "至少須指定一個 --source（dir:PATH、kafka://、kafkas://、eventhub://、'graph' 或 'posture'）", it: "serve almeno un --source (dir:PATH, kafka://, kafkas://, eventhub://, 'graph' o 'posture')", ja: "--source を 1 つ以上指定してください (dir:PATH、kafka://、kafkas://、eventhub://、'graph'、'posture')"},
	"--graph-overlap and --graph-backfill want zero or more, --graph-poll more than zero":              {zh: "--graph-overlap 與 --graph-backfill 應為零或以上，--graph-poll 應大於零", it: "--graph-overlap e --graph-backfill vogliono zero o più, --graph-poll più di zero", ja: "--graph-overlap と --graph-backfill は 0 以上、--graph-poll は 0 より大きい値を指定してください"},
	"--posture-every wants more than zero":                                                             {zh: "--posture-every 應大於零", it: "--posture-every vuole più di zero", ja: "--posture-every には 0 より大きい値を指定してください"},
	"--lease-ttl wants more than zero":                                                                 {zh: "--lease-ttl 應大於零", it: "--lease-ttl vuole più di zero", ja: "--lease-ttl には 0 より大きい値を指定してください"},
	"--dead-after and --retry-max must be longer than zero":                                            {zh: "--dead-after 與 --retry-max 必須大於零", it: "--dead-after e --retry-max devono essere maggiori di zero", ja: "--dead-after と --retry-max には 0 より大きい値を指定してください"},
	"--log-format %q: want text or json":                                                               {zh: "--log-format %q：應為 text 或 json", it: "--log-format %q: servono text o json", ja: "--log-format %q: text または json を指定してください"},
	"--status %q: want one of %s":                                                                      {zh: "--status %q：應為以下其中之一：%s", it: "--status %q: valori ammessi: %s", ja: "--status %q: 次のいずれかを指定してください: %s"},
	"--source %s: %v":                                                                                  {zh: "--source %s：%v", it: "--source %s: %v", ja: "--source %s: %v"},
	"--source %s: not a directory":                                                                     {zh: "--source %s：不是目錄", it: "--source %s: non è una cartella", ja: "--source %s: ディレクトリではありません"},
	"--listen: %v":                                                                                     {zh: "--listen：%v", it: "--listen: %v", ja: "--listen: %v"},
	"--source %s: want %s alone; the tenant is the one the sign-in flags name": {
		zh: "--source %s：只能單獨寫 %s；租用戶就是登入旗標所指定的租用戶",
		it: "--source %s: serve %s da solo; il tenant è quello indicato dalle opzioni di accesso",
		ja: "--source %s: %s だけを指定してください。テナントはサインインのフラグで指定したものです"},
	"--source %s: want dir:PATH, kafka://, kafkas://, eventhub://, 'graph' or 'posture'": {
		zh: "--source %s：應為 dir:PATH、kafka://、kafkas://、eventhub://、'graph' 或 'posture'",
		it: "--source %s: servono dir:PATH, kafka://, kafkas://, eventhub://, 'graph' o 'posture'",
		ja: "--source %s: dir:PATH、kafka://、kafkas://、eventhub://、'graph'、'posture' のいずれかを指定してください"},
	"give the directories of the rules to test, or --builtin for the built-in rules": {zh: "請指定要測試的規則所在目錄，或以 --builtin 測試內建規則", it: "indica le cartelle delle regole da provare, oppure --builtin per le regole incluse", ja: "テストするルールのディレクトリを指定するか、組み込みルールなら --builtin を指定してください"},

	// Reading inputs.
	"no input could be read":             {zh: "沒有任何輸入可讀取", it: "nessun input è stato letto", ja: "読み取れた入力がありません"},
	"%d of %d inputs unreadable":         {zh: "%[2]d 個輸入中有 %[1]d 個無法讀取", it: "%d input illeggibili su %d", ja: "%[2]d 個の入力のうち %[1]d 個が読み取れません"},
	"%d read errors":                     {zh: "%d 個讀取錯誤", it: "%d errori di lettura", ja: "読み取りエラー %d 件"},
	"%s: the same file as %s, read once": {zh: "%s：與 %s 是同一個檔案，只讀取一次", it: "%s: è lo stesso file di %s, letto una volta sola", ja: "%s: %s と同じファイルのため 1 回だけ読み取りました"},
	"%d paths name a file already read (a link, or a path given twice): each file was read once": {
		zh: "有 %d 個路徑指向已讀取的檔案（連結，或重複指定的路徑）：每個檔案只讀取一次",
		it: "%d percorsi indicano un file già letto (un collegamento, o un percorso dato due volte): ogni file è stato letto una volta sola",
		ja: "%d 個のパスが読み取り済みのファイルを指していました (リンク、または 2 回指定されたパス)。各ファイルは 1 回だけ読み取りました"},
	"%d problems in the snapshot": {zh: "快照中有 %d 個問題", it: "%d problemi nello snapshot", ja: "スナップショットの問題 %d 件"},
	"incomplete: %s (listed above); the results cover only what could be read (exit status %d)": {
		zh: "不完整：%s（列於上方）；結果只涵蓋能讀取的部分（結束狀態 %d）",
		it: "incompleto: %s (elencati sopra); i risultati riguardano solo ciò che è stato letto (stato di uscita %d)",
		ja: "不完全: %s (上に一覧あり)。結果は読み取れた分だけを対象としています (終了ステータス %d)"},
	"%s: not read: %s":                   {zh: "%s：未讀取：%s", it: "%s: non letto: %s", ja: "%s: 読み取れません: %s"},
	"%s: skipped: plain text, not a log": {zh: "%s：已略過：純文字，不是記錄檔", it: "%s: saltato: testo semplice, non un log", ja: "%s: スキップ: ログではないプレーンテキスト"},
	"%d records, %d events":              {zh: "%d 筆記錄、%d 個事件", it: "%d record, %d eventi", ja: "レコード %d 件、イベント %d 件"},
	"%d skipped (%s)":                    {zh: "略過 %d 筆（%s）", it: "%d saltati (%s)", ja: "スキップ %d 件 (%s)"},
	"(empty)":                            {zh: "（空白）", it: "(vuoto)", ja: "(空)"},
	"... and %d more errors":             {zh: "……還有 %d 個錯誤", it: "... e altri %d errori", ja: "... ほかにエラー %d 件"},
	"total: %d inputs (%d unreadable), %d records, %d events, %d skipped, %d errors": {
		zh: "總計：%d 個輸入（%d 個無法讀取），%d 筆記錄，%d 個事件，略過 %d 筆，%d 個錯誤",
		it: "totale: %d input (%d illeggibili), %d record, %d eventi, %d saltati, %d errori",
		ja: "合計: 入力 %d 個 (読み取り不可 %d 個)、レコード %d 件、イベント %d 件、スキップ %d 件、エラー %d 件"},
	"total: %d inputs (%d unreadable, %d plain text files skipped), %d records, %d events, %d skipped, %d errors": {
		zh: "總計：%d 個輸入（%d 個無法讀取，略過 %d 個純文字檔），%d 筆記錄，%d 個事件，略過 %d 筆，%d 個錯誤",
		it: "totale: %d input (%d illeggibili, %d file di testo semplice saltati), %d record, %d eventi, %d saltati, %d errori",
		ja: "合計: 入力 %d 個 (読み取り不可 %d 個、プレーンテキストのスキップ %d 個)、レコード %d 件、イベント %d 件、スキップ %d 件、エラー %d 件"},
	// Why records were skipped (decode.SkipReasons).
	"not a JSON object":   {zh: "不是 JSON 物件", it: "non è un oggetto JSON", ja: "JSON オブジェクトではない"},
	"unrecognised record": {zh: "無法辨識的記錄", it: "record non riconosciuto", ja: "認識できないレコード"},
	"Microsoft Graph directory object (read by appwatch posture, not scan)": {zh: "Microsoft Graph 目錄物件（由 'appwatch posture' 讀取，而非 'appwatch scan'）", it: "oggetto della directory di Microsoft Graph (letto da 'appwatch posture', non da 'appwatch scan')", ja: "Microsoft Graph のディレクトリ オブジェクト ('appwatch posture' が読み取るもので、'appwatch scan' の対象外)"},
	"table row that is not an array":                                        {zh: "不是陣列的資料表列", it: "riga di tabella che non è una matrice", ja: "配列ではないテーブル行"},
	"invalid JSON":                                                          {zh: "無效的 JSON", it: "JSON non valido", ja: "無効な JSON"},
	"invalid CSV":                                                           {zh: "無效的 CSV", it: "CSV non valido", ja: "無効な CSV"},
	"CSV row with missing columns":                                          {zh: "缺少資料行的 CSV 列", it: "riga CSV con colonne mancanti", ja: "列が足りない CSV 行"},
	"input cut short":                                                       {zh: "輸入中途截斷", it: "input troncato", ja: "途中で切れた入力"},
	"Log Analytics table %s is not analysed":                                {zh: "不分析 Log Analytics 資料表 %s", it: "tabella di Log Analytics %s non analizzata", ja: "分析対象外の Log Analytics テーブル %s"},
	"log category %s is not analysed":                                       {zh: "不分析記錄類別 %s", it: "categoria di log %s non analizzata", ja: "分析対象外のログ カテゴリ %s"},
	"by layout: %s":                                                         {zh: "依格式：%s", it: "per formato: %s", ja: "形式別: %s"},
	"skipped: %s":                                                           {zh: "略過：%s", it: "saltati: %s", ja: "スキップ: %s"},
	"read.sep":                                                              {en: ", ", zh: "，", it: ", ", ja: "、"},
	"reference data: %v":                                                    {zh: "參考資料：%v", it: "dati di riferimento: %v", ja: "参照データ: %v"},
	"policy %s:\n%v":                                                        {zh: "原則檔 %s：\n%v", it: "criterio %s:\n%v", ja: "ポリシー %s:\n%v"},
	"%s: ok":                                                                {zh: "%s：正常", it: "%s: ok", ja: "%s: 問題なし"},
	"--snapshot: %s":                                                        {zh: "--snapshot：%s", it: "--snapshot: %s", ja: "--snapshot: %s"},
	"--snapshot: no application, service principal or domain found in %s": {zh: "--snapshot：在 %s 中找不到任何應用程式、服務主體或網域", it: "--snapshot: nessuna applicazione, entità servizio o dominio in %s", ja: "--snapshot: %s にアプリケーション、サービス プリンシパル、ドメインが見つかりません"},

	// Rules.
	"rules could not be loaded:\n%v": {zh: "無法載入規則：\n%v", it: "impossibile caricare le regole:\n%v", ja: "ルールを読み込めませんでした:\n%v"},
	"hint: %s holds rules with the ids of built-in rules, as 'appwatch rules export' writes them.": {
		zh: "提示：%s 含有與內建規則相同 ID 的規則，就像 'appwatch rules export' 寫出的那樣。",
		it: "suggerimento: %s contiene regole con gli id di regole incluse, come le scrive 'appwatch rules export'.",
		ja: "ヒント: %s には、'appwatch rules export' が書き出すような、組み込みルールと同じ ID のルールがあります。"},
	"Add --no-builtin to use them in place of the built-in rules, or give each rule you adapted a new id and name.": {
		zh: "加上 --no-builtin 以取代內建規則，或為每個修改過的規則指定新的 ID 與名稱。",
		it: "Aggiungi --no-builtin per usarle al posto delle regole incluse, oppure dai a ogni regola modificata un nuovo id e un nuovo nome.",
		ja: "組み込みルールの代わりに使うには --no-builtin を付けるか、変更した各ルールに新しい ID と名前を付けてください。"},
	"no rule %q; 'appwatch rules list' lists them":                    {zh: "沒有規則 %q；'appwatch rules list' 會列出全部", it: "nessuna regola %q; 'appwatch rules list' le elenca", ja: "ルール %q はありません。'appwatch rules list' で一覧を表示できます"},
	"no rule %q (did you mean %s?); 'appwatch rules list' lists them": {zh: "沒有規則 %q（您是指 %s 嗎？）；'appwatch rules list' 會列出全部", it: "nessuna regola %q (forse intendevi %s?); 'appwatch rules list' le elenca", ja: "ルール %q はありません (%s のことですか?)。'appwatch rules list' で一覧を表示できます"},
	"%s (%s) has no test records":                                     {zh: "%s（%s）沒有測試記錄", it: "%s (%s) non ha record di prova", ja: "%s (%s) にはテスト レコードがありません"},
	"%d test files: %d passed, %d failed; %d rules without test records": {
		zh: "%d 個測試檔：%d 個通過，%d 個失敗；%d 個規則沒有測試記錄",
		it: "%d file di prova: %d superati, %d falliti; %d regole senza record di prova",
		ja: "テスト ファイル %d 個: 成功 %d 個、失敗 %d 個。テスト レコードのないルール %d 個"},
	"warning: %s": {zh: "警告：%s", it: "avviso: %s", ja: "警告: %s"},
	"%d of your rules loaded, %d skipped because they could not be loaded (see above; --strict-rules stops instead)": {
		zh: "已載入您的 %d 個規則，%d 個因無法載入而略過（見上方；--strict-rules 會改為停止）",
		it: "%d delle tue regole caricate, %d saltate perché non caricabili (vedi sopra; --strict-rules invece si ferma)",
		ja: "独自ルールを %d 個読み込み、読み込めない %d 個をスキップしました (上を参照。--strict-rules を付けると停止します)"},
	"%s has no test records":              {zh: "%s 沒有測試記錄", it: "%s non ha record di prova", ja: "%s にはテスト レコードがありません"},
	"%s names no rule":                    {zh: "%s 未對應到任何規則", it: "%s non corrisponde ad alcuna regola", ja: "%s に対応するルールはありません"},
	"%d test files: %d passed, %d failed": {zh: "%d 個測試檔：%d 個通過，%d 個失敗", it: "%d file di prova: %d superati, %d falliti", ja: "テスト ファイル %d 個: 成功 %d 個、失敗 %d 個"},
	"wrote %d files to %s":                {zh: "已將 %d 個檔案寫入 %s", it: "scritti %d file in %s", ja: "%[2]s に %[1]d 個のファイルを書き込みました"},

	// The demo.
	"The logs are made up. 'appwatch demo --extract DIR' writes them out with the policy and the story.": {
		zh: "這些記錄都是虛構的。'appwatch demo --extract DIR' 會將它們連同原則與故事一起寫出。",
		it: "I log sono inventati. 'appwatch demo --extract DIR' li scrive su disco con il criterio e la storia.",
		ja: "ログは架空のものです。'appwatch demo --extract DIR' で、ポリシーとストーリーと一緒に書き出せます。"},
	"wrote %d files into %s; try":     {zh: "已將 %d 個檔案寫入 %s；試試看", it: "scritti %d file in %s; prova", ja: "%[2]s に %[1]d 個のファイルを書き込みました。次を試してください"},
	"%s tells the story of the week.": {zh: "%s 講述這一週的故事。", it: "%s racconta la storia della settimana.", ja: "%s にこの 1 週間のストーリーがあります。"},

	// Posture and Microsoft Graph.
	"no application, service principal, grant, role, domain or policy found in %s": {zh: "在 %s 中找不到任何應用程式、服務主體、授權、角色、網域或原則", it: "nessuna applicazione, entità servizio, concessione, ruolo, dominio o criterio in %s", ja: "%s にアプリケーション、サービス プリンシパル、付与、ロール、ドメイン、ポリシーが見つかりません"},
	"dangling URI checks skipped: %v":                                              {zh: "已略過無關聯 URI 檢查：%v", it: "controlli degli URI orfani saltati: %v", ja: "ダングリング URI のチェックをスキップしました: %v"},
	"dangling URI checks skipped: %v (give --dns-server, or --no-dns)":             {zh: "已略過無關聯 URI 檢查：%v（請指定 --dns-server 或 --no-dns）", it: "controlli degli URI orfani saltati: %v (indica --dns-server, oppure --no-dns)", ja: "ダングリング URI のチェックをスキップしました: %v (--dns-server か --no-dns を指定してください)"},
	"DNS: %d host names looked up, %d dangling, %d without an answer":              {zh: "DNS：查詢了 %d 個主機名稱，%d 個無關聯，%d 個沒有回應", it: "DNS: %d nomi host cercati, %d orfani, %d senza risposta", ja: "DNS: ホスト名 %d 個を照会、ダングリング %d 個、応答なし %d 個"},
	"and %d more":                            {zh: "還有 %d 個", it: "e altri %d", ja: "ほか %d 個"},
	"DNS: off, dangling URI checks left out": {zh: "DNS：關閉，未執行無關聯 URI 檢查", it: "DNS: disattivato, controlli degli URI orfani esclusi", ja: "DNS: オフ、ダングリング URI のチェックは行っていません"},
	"note: %s":                               {zh: "注意：%s", it: "nota: %s", ja: "注: %s"},
	"no way to sign in to Microsoft Graph given: use --tenant, --client-id and --certificate FILE, or --auth secret|workload-identity|managed-identity|default, or --access-token-file FILE (see docs/setup-posture.md)": {
		zh: "未指定登入 Microsoft Graph 的方式：請使用 --tenant、--client-id 與 --certificate FILE，或 --auth secret|workload-identity|managed-identity|default，或 --access-token-file FILE（請參閱 docs/setup-posture.md）",
		it: "nessun modo di accedere a Microsoft Graph indicato: usa --tenant, --client-id e --certificate FILE, oppure --auth secret|workload-identity|managed-identity|default, oppure --access-token-file FILE (vedi docs/setup-posture.md)",
		ja: "Microsoft Graph へのサインイン方法が指定されていません: --tenant、--client-id、--certificate FILE を使うか、--auth secret|workload-identity|managed-identity|default、または --access-token-file FILE を指定してください (docs/setup-posture.md を参照)"},
	"or evaluate a saved snapshot with --snapshot PATH":                 {zh: "或以 --snapshot PATH 評估已儲存的快照", it: "oppure valuta uno snapshot salvato con --snapshot PATH", ja: "または --snapshot PATH で保存済みのスナップショットを評価してください"},
	"give either --access-token-file or --auth/--certificate, not both": {zh: "請指定 --access-token-file 或 --auth/--certificate 其中之一，不要同時指定", it: "indica --access-token-file oppure --auth/--certificate, non entrambi", ja: "--access-token-file か --auth/--certificate のどちらか一方を指定してください"},
	"--auth secret: the environment variable %s is empty or not set; set it to the value of one of the app registration's client secrets": {
		zh: "--auth secret：環境變數 %s 為空白或未設定；請將其設為應用程式註冊的某個用戶端祕密值",
		it: "--auth secret: la variabile d'ambiente %s è vuota o non impostata; impostala al valore di uno dei segreti client della registrazione dell'applicazione",
		ja: "--auth secret: 環境変数 %s が空か未設定です。アプリケーションの登録のクライアント シークレットのいずれかの値を設定してください"},
	"--access-token-file: %s is empty": {zh: "--access-token-file：%s 是空的", it: "--access-token-file: %s è vuoto", ja: "--access-token-file: %s は空です"},
	"--access-token-file: %s holds more than a token; save the token alone, as az account get-access-token --query accessToken -o tsv does": {
		zh: "--access-token-file：%s 不只包含權杖；請只儲存權杖本身，就像 az account get-access-token --query accessToken -o tsv 的輸出",
		it: "--access-token-file: %s contiene più di un token; salva solo il token, come fa az account get-access-token --query accessToken -o tsv",
		ja: "--access-token-file: %s にはトークン以外も含まれています。az account get-access-token --query accessToken -o tsv のように、トークンだけを保存してください"},
	"--access-token-file: the token in %s expired at %s": {zh: "--access-token-file：%s 中的權杖已於 %s 過期", it: "--access-token-file: il token in %s è scaduto il %s", ja: "--access-token-file: %s のトークンは %s に期限切れになりました"},
	"--graph-timeout %s: want zero (no limit) or more":   {zh: "--graph-timeout %s：應為零（不限制）或以上", it: "--graph-timeout %s: serve zero (nessun limite) o più", ja: "--graph-timeout %s: 0 (制限なし) 以上を指定してください"},
	"get a new token for Microsoft Graph: az account get-access-token --resource-type ms-graph --query accessToken -o tsv > %s": {
		zh: "請取得新的 Microsoft Graph 權杖：az account get-access-token --resource-type ms-graph --query accessToken -o tsv > %s",
		it: "ottieni un nuovo token per Microsoft Graph: az account get-access-token --resource-type ms-graph --query accessToken -o tsv > %s",
		ja: "Microsoft Graph の新しいトークンを取得してください: az account get-access-token --resource-type ms-graph --query accessToken -o tsv > %s"},
	"check --tenant and --client-id, and that the app registration has this certificate (docs/setup-posture.md)": {
		zh: "請確認 --tenant 與 --client-id，以及應用程式註冊具有此憑證（docs/setup-posture.md）",
		it: "controlla --tenant e --client-id, e che la registrazione dell'applicazione abbia questo certificato (docs/setup-posture.md)",
		ja: "--tenant と --client-id、およびアプリケーションの登録にこの証明書があることを確認してください (docs/setup-posture.md)"},
	"check --tenant and --client-id, and that $%s holds the value (not the id) of one of the app registration's secrets, unexpired": {
		zh: "請確認 --tenant 與 --client-id，以及 $%s 存放的是應用程式註冊某個未過期祕密的值（而非 ID）",
		it: "controlla --tenant e --client-id, e che $%s contenga il valore (non l'id) di uno dei segreti non scaduti della registrazione dell'applicazione",
		ja: "--tenant と --client-id、および $%s にアプリケーションの登録の有効期限内のシークレットの値 (ID ではなく) が入っていることを確認してください"},
	"check --tenant, --client-id, the federated token file ($AZURE_FEDERATED_TOKEN_FILE) and the app registration's federated credential": {
		zh: "請確認 --tenant、--client-id、同盟權杖檔（$AZURE_FEDERATED_TOKEN_FILE）以及應用程式註冊的同盟認證",
		it: "controlla --tenant, --client-id, il file del token federato ($AZURE_FEDERATED_TOKEN_FILE) e la credenziale federata della registrazione dell'applicazione",
		ja: "--tenant、--client-id、フェデレーション トークン ファイル ($AZURE_FEDERATED_TOKEN_FILE)、およびアプリケーションの登録のフェデレーション資格情報を確認してください"},
	"run on an Azure resource that has a managed identity, and give --client-id for a user-assigned one": {
		zh: "請在具有受控身分識別的 Azure 資源上執行；若為使用者指派的受控身分識別，請指定 --client-id",
		it: "esegui su una risorsa Azure con un'identità gestita, e indica --client-id per una assegnata dall'utente",
		ja: "マネージド ID を持つ Azure リソース上で実行し、ユーザー割り当ての場合は --client-id を指定してください"},
	"sign in with 'az login', or give --tenant, --client-id and --certificate (docs/setup-posture.md)": {
		zh: "請以 'az login' 登入，或指定 --tenant、--client-id 與 --certificate（docs/setup-posture.md）",
		it: "accedi con 'az login', oppure indica --tenant, --client-id e --certificate (docs/setup-posture.md)",
		ja: "'az login' でサインインするか、--tenant、--client-id、--certificate を指定してください (docs/setup-posture.md)"},
	"reading Graph: %d objects in %d pages, %s": {zh: "正在讀取 Graph：%[2]d 頁中的 %[1]d 個物件，%[3]s", it: "lettura di Graph: %d oggetti in %d pagine, %s", ja: "Graph を読み取り中: %[2]d ページ、オブジェクト %[1]d 個、%[3]s"},
	"reading the tenant's applications from %s": {zh: "正在從 %s 讀取租用戶的應用程式", it: "lettura delle applicazioni del tenant da %s", ja: "%s からテナントのアプリケーションを読み取っています"},
	"read %d applications, %d service principals, %d delegated grants, %d app role assignments, %d role assignments, %d domains": {
		zh: "已讀取 %d 個應用程式、%d 個服務主體、%d 個委派授權、%d 個應用程式角色指派、%d 個角色指派、%d 個網域",
		it: "letti %d applicazioni, %d entità servizio, %d concessioni delegate, %d assegnazioni di ruoli dell'app, %d assegnazioni di ruoli, %d domini",
		ja: "アプリケーション %d 個、サービス プリンシパル %d 個、委任された付与 %d 個、アプリ ロールの割り当て %d 個、ロールの割り当て %d 個、ドメイン %d 個を読み取りました"},
	"see docs/graph-permissions.md for the permissions to grant": {zh: "要授與的權限請參閱 docs/graph-permissions.md", it: "vedi docs/graph-permissions.md per le autorizzazioni da concedere", ja: "付与するアクセス許可は docs/graph-permissions.md を参照してください"},
	"the tenant's domains are unknown (no verified domain in the snapshot, no owned_domains in the policy): the unowned-domain checks did not run": {
		zh: "不知道租用戶擁有哪些網域（快照中沒有已驗證的網域，原則中也沒有 owned_domains）：未執行非自有網域的檢查",
		it: "i domini del tenant sono sconosciuti (nessun dominio verificato nello snapshot, nessun owned_domains nel criterio): i controlli sui domini non del tenant non sono stati eseguiti",
		ja: "テナントのドメインが不明です (スナップショットに検証済みドメインがなく、ポリシーに owned_domains もありません)。テナント外ドメインのチェックは実行していません"},
	"%d of %d host names got no answer from DNS (timeout, SERVFAIL or error) and were not judged": {
		zh: "%[2]d 個主機名稱中有 %[1]d 個未得到 DNS 回應（逾時、SERVFAIL 或錯誤），因此未判定",
		it: "%d nomi host su %d non hanno avuto risposta dal DNS (timeout, SERVFAIL o errore) e non sono stati giudicati",
		ja: "ホスト名 %[2]d 個のうち %[1]d 個は DNS から応答がなく (タイムアウト、SERVFAIL、エラー)、判定していません"},
	"%d of %d host names were not checked in DNS: %s": {
		zh: "%[2]d 個主機名稱中有 %[1]d 個未經 DNS 檢查：%[3]s",
		it: "%d nomi host su %d non sono stati controllati nel DNS: %s",
		ja: "ホスト名 %[2]d 個のうち %[1]d 個は DNS で確認していません: %[3]s"},
	// Why a posture check was not evaluated.
	"DNS lookups are off": {zh: "DNS 查詢已關閉", it: "le ricerche DNS sono disattivate", ja: "DNS の照会がオフです"},
	"the tenant's domains are unknown (no verified domain in the snapshot, no owned_domains in the policy)": {
		zh: "不知道租用戶擁有哪些網域（快照中沒有已驗證的網域，原則中也沒有 owned_domains）",
		it: "i domini del tenant sono sconosciuti (nessun dominio verificato nello snapshot, nessun owned_domains nel criterio)",
		ja: "テナントのドメインが不明です (スナップショットに検証済みドメインがなく、ポリシーに owned_domains もありません)"},
	"the snapshot holds no %s": {zh: "快照中沒有 %s", it: "lo snapshot non contiene %s", ja: "スナップショットに %s がありません"},
	"the service principal sign-in activity report (Graph beta) holds no records although the tenant has service principals; it needs Microsoft Entra ID P1 or P2 and may lag while in preview": {
		zh: "雖然租用戶有服務主體，服務主體登入活動報告（Graph beta）卻沒有任何記錄；此報告需要 Microsoft Entra ID P1 或 P2，且在預覽期間可能延遲",
		it: "il report sulle attività di accesso delle entità servizio (Graph beta) non contiene record benché il tenant abbia entità servizio; richiede Microsoft Entra ID P1 o P2 e può essere in ritardo finché è in anteprima",
		ja: "テナントにサービス プリンシパルがあるのに、サービス プリンシパルのサインイン アクティビティ レポート (Graph beta) にレコードがありません。このレポートには Microsoft Entra ID P1 または P2 が必要で、プレビュー中は遅れることがあります"},
	"the app credential sign-in activity report (Graph beta) holds no records although the tenant has applications; it needs Microsoft Entra ID P1 or P2 and may lag while in preview": {
		zh: "雖然租用戶有應用程式，應用程式認證登入活動報告（Graph beta）卻沒有任何記錄；此報告需要 Microsoft Entra ID P1 或 P2，且在預覽期間可能延遲",
		it: "il report sulle attività di accesso delle credenziali delle app (Graph beta) non contiene record benché il tenant abbia applicazioni; richiede Microsoft Entra ID P1 o P2 e può essere in ritardo finché è in anteprima",
		ja: "テナントにアプリケーションがあるのに、アプリの資格情報のサインイン アクティビティ レポート (Graph beta) にレコードがありません。このレポートには Microsoft Entra ID P1 または P2 が必要で、プレビュー中は遅れることがあります"},
	"%s not read: the tenant lacks %s (%d %s)": {zh: "未讀取 %s：租用戶缺少 %s（%d %s）", it: "%s non letto: al tenant manca %s (%d %s)", ja: "%s を読み取っていません: テナントに %s がありません (%d %s)"},
	"%s not read: grant %s (%d %s)":            {zh: "未讀取 %s：請授與 %s（%d %s）", it: "%s non letto: concedi %s (%d %s)", ja: "%s を読み取っていません: %s を付与してください (%d %s)"},
	"%s not read: %d %s %s":                    {zh: "未讀取 %s：%d %s %s", it: "%s non letto: %d %s %s", ja: "%s を読み取っていません: %d %s %s"},
	"%s not read: %s":                          {zh: "未讀取 %s：%s", it: "%s non letto: %s", ja: "%s を読み取っていません: %s"},
	"snapshot written to %s":                   {zh: "快照已寫入 %s", it: "snapshot scritto in %s", ja: "スナップショットを %s に書き込みました"},
	"not read: %s":                             {zh: "未讀取：%s", it: "non letto: %s", ja: "読み取れませんでした: %s"},
	"--dormant-days %d: want one or more days": {zh: "--dormant-days %d：必須為 1 天以上", it: "--dormant-days %d: servono uno o più giorni", ja: "--dormant-days %d: 1 日以上を指定してください"},
	"Checks:":      {zh: "檢查：", it: "Controlli:", ja: "チェック:"},
	"%d evaluated": {zh: "已評估 %d 個", it: "%d valutati", ja: "評価 %d 件"},
	", %d found":   {zh: "，發現 %d 個", it: ", %d rilevati", ja: "、検出 %d 件"},
	"%d checks: %d passed, %d failed, %d not evaluated, %d skipped": {
		zh: "%d 項檢查：%d 項通過、%d 項未通過、%d 項無法評估、%d 項略過",
		it: "%d controlli: %d superati, %d non superati, %d non valutati, %d saltati",
		ja: "チェック %d 件: 合格 %d 件、不合格 %d 件、評価不可 %d 件、スキップ %d 件"},
	"%s ran on part of the data: %s": {
		zh: "%s 僅以部分資料執行：%s",
		it: "%s eseguiti su una parte dei dati: %s",
		ja: "%s は一部のデータで実行しました: %s"},
	"%s: the dormant app and unused permission checks did not run": {
		zh: "%s：未執行閒置應用程式與未使用權限的檢查",
		it: "%s: i controlli sulle app inattive e sulle autorizzazioni inutilizzate non sono stati eseguiti",
		ja: "%s。非アクティブなアプリと使われていないアクセス許可のチェックは実行していません"},
	"%s: the unused credential check did not run": {
		zh: "%s：未執行未使用認證的檢查",
		it: "%s: il controllo sulle credenziali inutilizzate non è stato eseguito",
		ja: "%s。使われていない資格情報のチェックは実行していません"},
	"%s: %d alerts delivered": {zh: "%s：已傳送 %d 則警示", it: "%s: %d avvisi consegnati", ja: "%s: アラート %d 件を配信しました"},
	"%d dead deliveries are pending again": {
		zh: "%d 筆已放棄的傳送已重新排入待送",
		it: "%d consegne abbandonate sono di nuovo in attesa",
		ja: "破棄された配信 %d 件を再び送信待ちにしました"},
	// Errors of sinks (--sink, --notify, the policy's delivery.sinks), deliveries and silences.
	"sink: write KIND:TARGET, KIND one of %s": {zh: "接收端：請寫成 KIND:TARGET，KIND 為以下其中之一：%s", it: "destinazione: scrivi KIND:TARGET, con KIND tra %s", ja: "シンク: KIND:TARGET の形で書いてください。KIND は次のいずれかです: %s"},
	"sink kind %q: not one of %s":             {zh: "接收端類型 %q：不是以下其中之一：%s", it: "tipo di destinazione %q: non è tra %s", ja: "シンクの種類 %q: 次のいずれでもありません: %s"},
	"sink %s: no target after the kind":       {zh: "接收端 %s：類型之後沒有目標", it: "destinazione %s: manca l'indirizzo dopo il tipo", ja: "シンク %s: 種類の後に送信先がありません"},
	"sink %s: %w":                             {zh: "接收端 %s：%w", it: "destinazione %s: %w", ja: "シンク %s: %w"},
	"option %q: no name":                      {zh: "選項 %q：沒有名稱", it: "opzione %q: manca il nome", ja: "オプション %q: 名前がありません"},
	"option %s: %w":                           {zh: "選項 %s：%w", it: "opzione %s: %w", ja: "オプション %s: %w"},
	"option %s given twice":                   {zh: "選項 %s 指定了兩次", it: "opzione %s indicata due volte", ja: "オプション %s が 2 回指定されています"},
	"option %s: secrets are never written in a sink; put it in an environment variable and name the variable with %s-env=": {
		zh: "選項 %s：祕密絕不寫在接收端中；請將它放在環境變數中，並以 %s-env= 指定該變數",
		it: "opzione %s: i segreti non si scrivono mai in una destinazione; mettilo in una variabile d'ambiente e indica la variabile con %s-env=",
		ja: "オプション %s: シークレットはシンクに書きません。環境変数に入れ、その変数を %s-env= で指定してください"},
	"option %q: a %s sink takes %s": {zh: "選項 %q：%s 接收端可用的選項為 %s", it: "opzione %q: una destinazione %s accetta %s", ja: "オプション %q: %s シンクで使えるのは %s です"},
	"a name is 1 to 64 printable ASCII characters without spaces": {
		zh: "名稱為 1 到 64 個可列印的 ASCII 字元，且不含空白",
		it: "un nome è fatto da 1 a 64 caratteri ASCII stampabili senza spazi",
		ja: "名前は空白を含まない 1〜64 文字の印字可能な ASCII 文字です"},
	"%q is not one of informational, low, medium, high, critical": {
		zh: "%q 不是 'informational'、'low'、'medium'、'high'、'critical' 其中之一",
		it: "%q non è tra 'informational', 'low', 'medium', 'high', 'critical'",
		ja: "%q は 'informational'、'low'、'medium'、'high'、'critical' のいずれでもありません"},
	"an empty guide row":                    {zh: "空白的指南項目", it: "una riga della guida vuota", ja: "空のガイド項目"},
	"%q is not a duration between 0 and %s": {zh: "%q 不是介於 0 與 %s 之間的時間長度", it: "%q non è una durata tra 0 e %s", ja: "%q は 0 から %s までの時間ではありません"},
	"%q is not HOST:PORT":                   {zh: "%q 不是 HOST:PORT", it: "%q non è HOST:PORT", ja: "%q は HOST:PORT ではありません"},
	"the target is not a URL":               {zh: "目標不是 URL", it: "l'indirizzo non è un URL", ja: "送信先が URL ではありません"},
	"the target is not an http:// or https:// URL": {
		zh: "目標不是 http:// 或 https:// 的 URL", it: "l'indirizzo non è un URL http:// o https://", ja: "送信先が http:// または https:// の URL ではありません"},
	"the target URL has no host": {zh: "目標 URL 沒有主機", it: "l'URL di destinazione non ha un host", ja: "送信先の URL にホストがありません"},
	"the Logs Ingestion API is only reached over https": {
		zh: "只能透過 'https' 連線到 Logs Ingestion API", it: "la Logs Ingestion API si raggiunge solo tramite 'https'", ja: "Logs Ingestion API には 'https' でしか接続できません"},
	"write syslog:tcp://HOST:PORT, syslog:udp://HOST:PORT or syslog+tls://HOST:PORT": {
		zh: "請寫成 syslog:tcp://HOST:PORT、syslog:udp://HOST:PORT 或 syslog+tls://HOST:PORT",
		it: "scrivi syslog:tcp://HOST:PORT, syslog:udp://HOST:PORT o syslog+tls://HOST:PORT",
		ja: "syslog:tcp://HOST:PORT、syslog:udp://HOST:PORT、syslog+tls://HOST:PORT のいずれかの形で書いてください"},
	"%q is not a whole number from 1 to %d": {zh: "%q 不是 1 到 %d 之間的整數", it: "%q non è un numero intero da 1 a %d", ja: "%q は 1 から %d までの整数ではありません"},
	"%q is not one of %s, or none":          {zh: "%q 不是 %s 其中之一，也不是 'none'", it: "%q non è tra %s, né 'none'", ja: "%q は %s のいずれでも 'none' でもありません"},
	"%q is not a duration from 0 to 168h":   {zh: "%q 不是 0 到 168h 之間的時間長度", it: "%q non è una durata da 0 a 168h", ja: "%q は 0 から 168h までの時間ではありません"},
	"write a rate as messages a second (2, 0.5) or N/s, N/m, N/h; 0 for no limit": {
		zh: "速率請寫成每秒訊息數（2、0.5）或 N/s、N/m、N/h；0 表示不限制",
		it: "scrivi una frequenza come messaggi al secondo (2, 0.5) o N/s, N/m, N/h; 0 per nessun limite",
		ja: "レートは 1 秒あたりのメッセージ数 (2、0.5) または N/s、N/m、N/h で書いてください。0 は無制限です"},
	"unknown kind %q": {zh: "未知的類型 %q", it: "tipo sconosciuto %q", ja: "不明な種類 %q"},
	"the environment variable %s, which should hold the target, is empty or not set": {
		zh: "應存放目標的環境變數 %s 是空的或未設定",
		it: "la variabile d'ambiente %s, che dovrebbe contenere l'indirizzo, è vuota o non impostata",
		ja: "送信先を入れるはずの環境変数 %s が空か、設定されていません"},
	"the environment variable %s: %w": {zh: "環境變數 %s：%w", it: "la variabile d'ambiente %s: %w", ja: "環境変数 %s: %w"},
	"the environment variable %s, which should hold the HEC token, is empty or not set": {
		zh: "應存放 HEC 權杖的環境變數 %s 是空的或未設定",
		it: "la variabile d'ambiente %s, che dovrebbe contenere il token HEC, è vuota o non impostata",
		ja: "HEC トークンを入れるはずの環境変数 %s が空か、設定されていません"},
	"the environment variable %s named by secret-env= is empty or not set": {
		zh: "'secret-env=' 指定的環境變數 %s 是空的或未設定",
		it: "la variabile d'ambiente %s indicata da 'secret-env=' è vuota o non impostata",
		ja: "'secret-env=' で指定した環境変数 %s が空か、設定されていません"},
	"secret %d does not start with %s": {zh: "第 %d 個祕密不是以 %s 開頭", it: "il segreto %d non inizia con %s", ja: "%d 番目のシークレットが %s で始まっていません"},
	"secret %d is not base64 after %s": {zh: "第 %d 個祕密在 %s 之後不是 base64", it: "il segreto %d non è in base64 dopo %s", ja: "%d 番目のシークレットの %s より後が base64 ではありません"},
	"secret %d is %d bytes; a signing secret is 24 to 64 bytes": {
		zh: "第 %d 個祕密為 %d 位元組；簽署用的祕密應為 24 到 64 位元組",
		it: "il segreto %d è di %d byte; un segreto di firma è da 24 a 64 byte",
		ja: "%d 番目のシークレットは %d バイトです。署名用のシークレットは 24〜64 バイトです"},
	"the Logs Ingestion API needs an Azure sign-in (the same options as appwatch posture collect)": {
		zh: "Logs Ingestion API 需要 Azure 登入（選項與 'appwatch posture collect' 相同）",
		it: "la Logs Ingestion API richiede un accesso ad Azure (le stesse opzioni di 'appwatch posture collect')",
		ja: "Logs Ingestion API には Azure へのサインインが必要です ('appwatch posture collect' と同じオプション)"},
	"the URL's path is not /dataCollectionRules/DCR-IMMUTABLE-ID/streams/Custom-STREAM": {
		zh: "URL 的路徑不是 /dataCollectionRules/DCR-IMMUTABLE-ID/streams/Custom-STREAM",
		it: "il percorso dell'URL non è /dataCollectionRules/DCR-IMMUTABLE-ID/streams/Custom-STREAM",
		ja: "URL のパスが /dataCollectionRules/DCR-IMMUTABLE-ID/streams/Custom-STREAM ではありません"},
	"the data collection rule's immutable id starts with dcr-": {
		zh: "資料收集規則的不可變 ID 以 'dcr-' 開頭",
		it: "l'id non modificabile della regola di raccolta dati inizia con 'dcr-'",
		ja: "データ収集ルールの不変 ID は 'dcr-' で始まります"},
	"the stream of a custom table starts with Custom-": {
		zh: "自訂資料表的資料流以 'Custom-' 開頭",
		it: "il flusso di una tabella personalizzata inizia con 'Custom-'",
		ja: "カスタム テーブルのストリームは 'Custom-' で始まります"},
	"option cef: %q is not true or false": {zh: "選項 'cef'：%q 不是 true 或 false", it: "opzione 'cef': %q non è true o false", ja: "オプション 'cef': %q は true でも false でもありません"},
	"option facility: %q is not a facility name (auth, daemon, local0 ... local7) or a number from 0 to 23": {
		zh: "選項 'facility'：%q 不是 'facility' 名稱（'auth'、'daemon'、'local0' ... 'local7'）或 0 到 23 的數字",
		it: "opzione 'facility': %q non è il nome di una 'facility' ('auth', 'daemon', 'local0' ... 'local7') né un numero da 0 a 23",
		ja: "オプション 'facility': %q は 'facility' 名 ('auth'、'daemon'、'local0' ... 'local7') でも 0 から 23 の数値でもありません"},
	"option max-size: %q is not a number of bytes from %d to %d": {
		zh: "選項 'max-size'：%q 不是 %d 到 %d 之間的位元組數",
		it: "opzione 'max-size': %q non è un numero di byte da %d a %d",
		ja: "オプション 'max-size': %q は %d から %d までのバイト数ではありません"},
	"option ca: only for syslog+tls":         {zh: "選項 'ca'：僅適用於 'syslog+tls'", it: "opzione 'ca': solo per 'syslog+tls'", ja: "オプション 'ca': 'syslog+tls' 専用です"},
	"option ca: %w":                          {zh: "選項 'ca'：%w", it: "opzione 'ca': %w", ja: "オプション 'ca': %w"},
	"option ca: %s holds no PEM certificate": {zh: "選項 'ca'：%s 中沒有 PEM 憑證", it: "opzione 'ca': %s non contiene alcun certificato PEM", ja: "オプション 'ca': %s に PEM 形式の証明書がありません"},
	"two sinks are named %s; give one another name with name=": {
		zh: "有兩個接收端都名為 %s；請以 'name=' 為其中一個指定其他名稱",
		it: "due destinazioni si chiamano %s; dai a una delle due un altro nome con 'name='",
		ja: "2 つのシンクが同じ名前 %s です。一方に 'name=' で別の名前を付けてください"},
	"matcher %q: write NAME=VALUE, NAME!=VALUE, NAME=~REGEXP or NAME!~REGEXP, NAME one of %s": {
		zh: "比對條件 %q：請寫成 NAME=VALUE、NAME!=VALUE、NAME=~REGEXP 或 NAME!~REGEXP，NAME 為以下其中之一：%s",
		it: "condizione %q: scrivi NAME=VALUE, NAME!=VALUE, NAME=~REGEXP o NAME!~REGEXP, con NAME tra %s",
		ja: "条件 %q: NAME=VALUE、NAME!=VALUE、NAME=~REGEXP、NAME!~REGEXP のいずれかの形で書いてください。NAME は次のいずれかです: %s"},
	"matcher %q: the operator is one of =, !=, =~, !~": {
		zh: "比對條件 %q：運算子應為 '='、'!='、'=~'、'!~' 其中之一",
		it: "condizione %q: l'operatore è uno tra =, !=, =~, !~",
		ja: "条件 %q: 演算子は =、!=、=~、!~ のいずれかです"},
	"matcher %q: %q is not one of %s": {zh: "比對條件 %q：%q 不是以下其中之一：%s", it: "condizione %q: %q non è tra %s", ja: "条件 %q: %q は次のいずれでもありません: %s"},
	"matcher %q: no value":            {zh: "比對條件 %q：沒有值", it: "condizione %q: manca il valore", ja: "条件 %q: 値がありません"},
	"matcher %q: %q is not one of informational, low, medium, high, critical": {
		zh: "比對條件 %q：%q 不是 'informational'、'low'、'medium'、'high'、'critical' 其中之一",
		it: "condizione %q: %q non è tra 'informational', 'low', 'medium', 'high', 'critical'",
		ja: "条件 %q: %q は 'informational'、'low'、'medium'、'high'、'critical' のいずれでもありません"},
	"matcher %q: %w":                       {zh: "比對條件 %q：%w", it: "condizione %q: %w", ja: "条件 %q: %w"},
	"a silence needs at least one matcher": {zh: "靜音至少需要一個比對條件", it: "un silenzio richiede almeno una condizione", ja: "サイレンスには条件が 1 つ以上必要です"},
	"these matchers match every alert: silence something narrower": {
		zh: "這些比對條件符合所有警示：請將範圍縮小後再靜音",
		it: "queste condizioni corrispondono a ogni avviso: metti in silenzio qualcosa di più ristretto",
		ja: "これらの条件はすべてのアラートに一致します。もっと絞り込んでサイレンスにしてください"},
	"it ended at %s":               {zh: "它已於 %s 結束", it: "è terminato alle %s", ja: "%s に終了しています"},
	"no silence has the id %d":     {zh: "沒有 ID 為 %d 的靜音", it: "nessun silenzio ha l'id %d", ja: "ID が %d のサイレンスはありません"},
	"%q is not a silence id":       {zh: "%q 不是靜音的 ID", it: "%q non è l'id di un silenzio", ja: "%q はサイレンスの ID ではありません"},
	"--state %q: want one of %s":   {zh: "--state %q：應為以下其中之一：%s", it: "--state %q: valori ammessi: %s", ja: "--state %q: 次のいずれかを指定してください: %s"},
	"--limit must be zero or more": {zh: "--limit 必須為零或以上", it: "--limit deve essere zero o più", ja: "--limit には 0 以上を指定してください"},
	"--reason is required: say why these alerts are expected": {
		zh: "必須指定 --reason：說明為何預期會有這些警示",
		it: "serve --reason: spiega perché questi avvisi sono attesi",
		ja: "--reason が必要です: これらのアラートが想定内である理由を書いてください"},
	"--for must be longer than zero": {zh: "--for 必須大於零", it: "--for deve essere maggiore di zero", ja: "--for には 0 より大きい値を指定してください"},
	// appwatch serve and appwatch console user add.
	"--role %q: want viewer, responder or admin": {zh: "--role %q：應為 'viewer'、'responder' 或 'admin'", it: "--role %q: valori ammessi 'viewer', 'responder' o 'admin'", ja: "--role %q: 'viewer'、'responder'、'admin' のいずれかを指定してください"},
	"Password:": {zh: "密碼：", it: "Password:", ja: "パスワード:"},
	"account name %q: want 1 to 64 characters without spaces": {zh: "帳戶名稱 %q：應為 1 到 64 個字元，且不含空白", it: "nome dell'account %q: servono da 1 a 64 caratteri senza spazi", ja: "アカウント名 %q: 空白を含まない 1〜64 文字で指定してください"},
	"local account %s saved with the role %s":                 {zh: "已儲存本機帳戶 %s，角色為 %s", it: "account locale %s salvato con il ruolo %s", ja: "ローカル アカウント %s をロール %s で保存しました"},
	"no one can sign in: add a local account with appwatch console user add, or give --entra-tenant": {
		zh: "沒有人能登入：請以 'appwatch console user add' 新增本機帳戶，或指定 --entra-tenant",
		it: "nessuno può accedere: aggiungi un account locale con 'appwatch console user add', oppure indica --entra-tenant",
		ja: "誰もサインインできません。'appwatch console user add' でローカル アカウントを追加するか、--entra-tenant を指定してください"},
	"no password on standard input":              {zh: "標準輸入中沒有密碼", it: "nessuna password sullo standard input", ja: "標準入力にパスワードがありません"},
	"read the password: %v":                      {zh: "讀取密碼：%v", it: "lettura della password: %v", ja: "パスワードの読み取り: %v"},
	"the password must have %d to %d characters": {zh: "密碼必須有 %d 到 %d 個字元", it: "la password deve avere da %d a %d caratteri", ja: "パスワードは %d〜%d 文字にしてください"},
}
