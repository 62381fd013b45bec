package i18n

// errorMessages holds the errors of the packages below the command line
// that the user reads, keyed by their English format: what the decoders
// say about a bad record or an input they cannot read (decode.Messages),
// and the errors of the store, of the Microsoft Graph client and of the
// sources of 'appwatch watch'. Their
// Error text stays English for logs; the command line shows them in the
// user's language (Printer.Error). Names quoted from the input, the
// decoders' descriptions of a byte ('x', byte 0x00) and the errors of the
// operating system stay as they are.
var errorMessages = map[string]texts{
	// Bad records (decode).
	"not JSON: unexpected %s":                     {zh: "不是 JSON：非預期的 %s", it: "non è JSON: %s inatteso", ja: "JSON ではありません: 想定外の %s"},
	"a Log Analytics table that is not an object": {zh: "不是物件的 Log Analytics 資料表", it: "una tabella di Log Analytics che non è un oggetto", ja: "オブジェクトではない Log Analytics テーブル"},
	"invalid JSON object: unexpected %s where a member name belongs": {
		zh: "無效的 JSON 物件：成員名稱的位置出現非預期的 %s",
		it: "oggetto JSON non valido: %s inatteso dove va il nome di un membro",
		ja: "無効な JSON オブジェクト: メンバー名があるべき位置に想定外の %s があります"},
	"record over the %s limit; skipped":           {zh: "記錄超過 %s 的上限；已略過", it: "record oltre il limite di %s; saltato", ja: "レコードが上限の %s を超えています。スキップしました"},
	"input ends inside a JSON value (truncated?)": {zh: "輸入在 JSON 值的中間結束（是否遭截斷？）", it: "l'input finisce dentro un valore JSON (troncato?)", ja: "JSON の値の途中で入力が終わっています (切り詰められた可能性があります)"},
	"invalid JSON: record ends before its closing brace (cut short?)": {
		zh: "無效的 JSON：記錄在右大括號之前結束（是否中途截斷？）",
		it: "JSON non valido: il record finisce prima della parentesi graffa di chiusura (troncato?)",
		ja: "無効な JSON: 閉じ中かっこの前でレコードが終わっています (途中で切れた可能性があります)"},
	"invalid JSON: expected ':' after member name, found %s": {
		zh: "無效的 JSON：成員名稱之後應為 ':'，但找到 %s",
		it: "JSON non valido: dopo il nome del membro serve ':', trovato %s",
		ja: "無効な JSON: メンバー名の後には ':' が必要ですが、%s がありました"},
	"invalid JSON: unexpected %s where a value belongs": {
		zh: "無效的 JSON：值的位置出現非預期的 %s",
		it: "JSON non valido: %s inatteso dove va un valore",
		ja: "無効な JSON: 値があるべき位置に想定外の %s があります"},
	"invalid JSON: newline inside a string (unterminated string?)": {
		zh: "無效的 JSON：字串中有換行（字串未結束？）",
		it: "JSON non valido: a capo dentro una stringa (stringa non chiusa?)",
		ja: "無効な JSON: 文字列の中に改行があります (文字列が閉じていない可能性があります)"},
	"invalid JSON: record ends before its closing bracket": {
		zh: "無效的 JSON：記錄在右方括號之前結束",
		it: "JSON non valido: il record finisce prima della parentesi quadra di chiusura",
		ja: "無効な JSON: 閉じ角かっこの前でレコードが終わっています"},
	"invalid JSON: record ends before its closing bracket (cut short?)": {
		zh: "無效的 JSON：記錄在右方括號之前結束（是否中途截斷？）",
		it: "JSON non valido: il record finisce prima della parentesi quadra di chiusura (troncato?)",
		ja: "無効な JSON: 閉じ角かっこの前でレコードが終わっています (途中で切れた可能性があります)"},
	"line over the %s record limit; skipped": {zh: "行超過 %s 的記錄上限；已略過", it: "riga oltre il limite di %s per record; saltata", ja: "行がレコードの上限 %s を超えています。スキップしました"},
	"a quoted field from line %d runs over the %s record limit (a quote never closed?); line %d skipped": {
		zh: "從第 %d 行開始的引號欄位超過 %s 的記錄上限（引號未結束？）；已略過第 %d 行",
		it: "un campo tra virgolette dalla riga %d supera il limite di %s per record (virgolette mai chiuse?); riga %d saltata",
		ja: "%d 行目から始まる引用符付きフィールドがレコードの上限 %s を超えています (引用符が閉じていない可能性があります)。%d 行目をスキップしました"},
	"a quoted field runs from line %d to %d and leaves %d columns, the header has %d (a quote never closed?); line %d skipped": {
		zh: "引號欄位從第 %d 行延續到第 %d 行，只留下 %d 欄，標頭有 %d 欄（引號未結束？）；已略過第 %d 行",
		it: "un campo tra virgolette va dalla riga %d alla %d e lascia %d colonne, l'intestazione ne ha %d (virgolette mai chiuse?); riga %d saltata",
		ja: "引用符付きフィールドが %d 行目から %d 行目まで続き、列が %d 個になります。ヘッダーの列は %d 個です (引用符が閉じていない可能性があります)。%d 行目をスキップしました"},
	"row has %d columns, the header %d; skipped": {zh: "此列有 %d 欄，標頭有 %d 欄；已略過", it: "la riga ha %d colonne, l'intestazione %d; saltata", ja: "行の列は %d 個、ヘッダーの列は %d 個です。スキップしました"},
	"invalid JSON: %s":                           {zh: "無效的 JSON：%s", it: "JSON non valido: %s", ja: "無効な JSON: %s"},
	"invalid table columns: %s":                  {zh: "無效的資料表欄：%s", it: "colonne della tabella non valide: %s", ja: "無効なテーブルの列: %s"},
	"table columns are not an array":             {zh: "資料表欄不是陣列", it: "le colonne della tabella non sono una matrice", ja: "テーブルの列が配列ではありません"},
	"input cut short after %d bytes: %v":         {zh: "輸入在 %d 位元組後中斷：%v", it: "input interrotto dopo %d byte: %v", ja: "%d バイトの後で入力が途切れました: %v"},
	"input cut short after %d bytes of decompressed data: %v": {
		zh: "輸入在解壓縮後的 %d 位元組後中斷：%v",
		it: "input interrotto dopo %d byte di dati decompressi: %v",
		ja: "展開後のデータ %d バイトの後で入力が途切れました: %v"},
	"input cut short after %d bytes: %v; the record that starts here is incomplete and skipped": {
		zh: "輸入在 %d 位元組後中斷：%v；從此處開始的記錄不完整，已略過",
		it: "input interrotto dopo %d byte: %v; il record che inizia qui è incompleto ed è stato saltato",
		ja: "%d バイトの後で入力が途切れました: %v。ここから始まるレコードは不完全なため、スキップしました"},
	"input cut short after %d bytes of decompressed data: %v; the record that starts here is incomplete and skipped": {
		zh: "輸入在解壓縮後的 %d 位元組後中斷：%v；從此處開始的記錄不完整，已略過",
		it: "input interrotto dopo %d byte di dati decompressi: %v; il record che inizia qui è incompleto ed è stato saltato",
		ja: "展開後のデータ %d バイトの後で入力が途切れました: %v。ここから始まるレコードは不完全なため、スキップしました"},
	// Inputs that cannot be read (decode).
	"content is neither JSON nor CSV": {zh: "內容既不是 JSON 也不是 CSV", it: "il contenuto non è né JSON né CSV", ja: "内容が JSON でも CSV でもありません"},
	"reading CSV header: %w":          {zh: "讀取 CSV 標頭：%w", it: "lettura dell'intestazione CSV: %w", ja: "CSV ヘッダーの読み取り: %w"},
	"CSV header has none of the columns of a supported layout (Log Analytics: OperationName, TimeGenerated; portal: Date (UTC), Activity or Request ID): %s": {
		zh: "CSV 標頭沒有任何支援格式的欄（Log Analytics：OperationName、TimeGenerated；入口網站：'Date (UTC)'、'Activity' 或 'Request ID'）：%s",
		it: "l'intestazione CSV non ha nessuna delle colonne di un formato supportato (Log Analytics: OperationName, TimeGenerated; portale: 'Date (UTC)', 'Activity' o 'Request ID'): %s",
		ja: "CSV ヘッダーに、サポートされる形式の列がありません (Log Analytics: OperationName、TimeGenerated。ポータル: 'Date (UTC)'、'Activity'、'Request ID'): %s"},

	// The store.
	"store %q: want sqlite:PATH or postgres://USER@HOST:PORT/DB": {zh: "存放區 %q：應為 sqlite:PATH 或 postgres://USER@HOST:PORT/DB", it: "archivio %q: servono sqlite:PATH o postgres://USER@HOST:PORT/DB", ja: "ストア %q: sqlite:PATH または postgres://USER@HOST:PORT/DB を指定してください"},
	"store %q: want sqlite:PATH, a file name without ? or #":     {zh: "存放區 %q：應為 sqlite:PATH，且檔案名稱不含 '?' 或 '#'", it: "archivio %q: serve sqlite:PATH, un nome di file senza ? né #", ja: "ストア %q: sqlite:PATH を、? や # を含まないファイル名で指定してください"},
	"store %s: %w": {zh: "存放區 %s：%w", it: "archivio %s: %w", ja: "ストア %s: %w"},
	"schema version %d is newer than this appwatch knows (%d): upgrade appwatch": {
		zh: "結構描述版本 %d 比此 appwatch 所知的版本（%d）新：請升級 appwatch",
		it: "la versione dello schema %d è più recente di quella che questo appwatch conosce (%d): aggiorna appwatch",
		ja: "スキーマのバージョン %d は、この appwatch が対応するバージョン (%d) より新しいものです。appwatch をアップグレードしてください"},

	// Watch sources: the URLs of --source kafka://, kafkas://, eventhub://
	// and the streams of --graph-logs.
	"want kafka://HOST:PORT/TOPIC?group=NAME, kafkas://... or eventhub://NAMESPACE.servicebus.windows.net/HUB?group=NAME": {
		zh: "應為 kafka://HOST:PORT/TOPIC?group=NAME、kafkas://... 或 eventhub://NAMESPACE.servicebus.windows.net/HUB?group=NAME",
		it: "servono kafka://HOST:PORT/TOPIC?group=NAME, kafkas://... o eventhub://NAMESPACE.servicebus.windows.net/HUB?group=NAME",
		ja: "kafka://HOST:PORT/TOPIC?group=NAME、kafkas://...、eventhub://NAMESPACE.servicebus.windows.net/HUB?group=NAME のいずれかを指定してください"},
	"unknown scheme %s: want kafka, kafkas or eventhub": {zh: "未知的配置 %s：應為 'kafka'、'kafkas' 或 'eventhub'", it: "schema sconosciuto %s: servono 'kafka', 'kafkas' o 'eventhub'", ja: "不明なスキーム %s: 'kafka'、'kafkas'、'eventhub' のいずれかを指定してください"},
	"topic %q: want a name of letters, digits, '.', '_' and '-'": {
		zh: "主題 %q：名稱應只含字母、數字、'.'、'_' 與 '-'",
		it: "argomento %q: serve un nome di lettere, cifre, '.', '_' e '-'",
		ja: "トピック %q: 英字、数字、'.'、'_'、'-' だけの名前を指定してください"},
	"event hub %q: want a name of letters, digits, '.', '_' and '-'": {
		zh: "事件中樞 %q：名稱應只含字母、數字、'.'、'_' 與 '-'",
		it: "hub eventi %q: serve un nome di lettere, cifre, '.', '_' e '-'",
		ja: "イベント ハブ %q: 英字、数字、'.'、'_'、'-' だけの名前を指定してください"},
	"group= is required: a Kafka consumer group of its own for appwatch": {
		zh: "必須指定 'group='：appwatch 專用的 Kafka 取用者群組",
		it: "serve 'group=': un gruppo di consumatori Kafka riservato ad appwatch",
		ja: "'group=' が必要です: appwatch 専用の Kafka コンシューマー グループを指定してください"},
	"group= is required: an Event Hubs consumer group of its own for appwatch": {
		zh: "必須指定 'group='：appwatch 專用的事件中樞取用者群組",
		it: "serve 'group=': un gruppo di consumatori di Hub eventi riservato ad appwatch",
		ja: "'group=' が必要です: appwatch 専用の Event Hubs コンシューマー グループを指定してください"},
	"namespace %q: want NAMESPACE.servicebus.windows.net, without a port": {
		zh: "命名空間 %q：應為 NAMESPACE.servicebus.windows.net，不含連接埠",
		it: "spazio dei nomi %q: serve NAMESPACE.servicebus.windows.net, senza porta",
		ja: "名前空間 %q: ポートなしの NAMESPACE.servicebus.windows.net を指定してください"},
	"broker %q: want HOST:PORT": {zh: "訊息代理程式 %q：應為 HOST:PORT", it: "broker %q: serve HOST:PORT", ja: "ブローカー %q: HOST:PORT を指定してください"},
	"broker %q: port %q is not a number from 1 to 65535": {
		zh: "訊息代理程式 %q：連接埠 %q 不是 1 到 65535 之間的數字",
		it: "broker %q: la porta %q non è un numero da 1 a 65535",
		ja: "ブローカー %q: ポート %q が 1〜65535 の数値ではありません"},
	"%s= given %d times":                {zh: "%s= 指定了 %d 次", it: "%s= indicato %d volte", ja: "%s= が %d 回指定されています"},
	"start=%s: want earliest or latest": {zh: "start=%s：應為 'earliest' 或 'latest'", it: "start=%s: servono 'earliest' o 'latest'", ja: "start=%s: 'earliest' または 'latest' を指定してください"},
	"session_timeout=%s: want a duration from 1s to 5m": {
		zh: "session_timeout=%s：應為 1s 到 5m 之間的時間長度",
		it: "session_timeout=%s: serve una durata da 1s a 5m",
		ja: "session_timeout=%s: 1s〜5m の期間を指定してください"},
	"unknown parameter %s= (want group, start or session_timeout)": {
		zh: "未知的參數 %s=（應為 'group'、'start' 或 'session_timeout'）",
		it: "parametro sconosciuto %s= (servono 'group', 'start' o 'session_timeout')",
		ja: "不明なパラメーター %s= ('group'、'start'、'session_timeout' のいずれかを指定してください)"},
	"%s is not set: eventhub sources sign in with the namespace's connection string": {
		zh: "未設定 %s：'eventhub' 來源以命名空間的連接字串登入",
		it: "%s non è impostata: le origini 'eventhub' accedono con la stringa di connessione dello spazio dei nomi",
		ja: "%s が設定されていません: 'eventhub' ソースは名前空間の接続文字列でサインインします"},
	"SASL needs both %s and %s":                         {zh: "SASL 需要同時設定 %s 與 %s", it: "SASL richiede sia %s sia %s", ja: "SASL には %s と %s の両方が必要です"},
	"%s=%s: want PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512": {zh: "%s=%s：應為 PLAIN、SCRAM-SHA-256 或 SCRAM-SHA-512", it: "%s=%s: servono PLAIN, SCRAM-SHA-256 o SCRAM-SHA-512", ja: "%s=%s: PLAIN、SCRAM-SHA-256、SCRAM-SHA-512 のいずれかを指定してください"},
	"graph stream %q: want one of %v":                   {zh: "Graph 資料流 %q：應為以下其中之一：%v", it: "flusso di Graph %q: valori ammessi: %v", ja: "Graph ストリーム %q: 次のいずれかを指定してください: %v"},

	// Microsoft Graph (graph.Error).
	"sign-in failed: %s": {zh: "登入失敗：%s", it: "accesso non riuscito: %s", ja: "サインインに失敗しました: %s"},
	"sign-in failed: the token endpoint answered %s": {
		zh: "登入失敗：權杖端點回應 %s",
		it: "accesso non riuscito: l'endpoint del token ha risposto %s",
		ja: "サインインに失敗しました: トークン エンドポイントの応答は %s でした"},
	"%s after %d attempts": {zh: "%s（嘗試 %d 次後）", it: "%s dopo %d tentativi", ja: "%s (%d 回試行した後)"},
	"%s: grant the Microsoft Graph application permission %s to the app and give admin consent": {
		zh: "%s：請將 Microsoft Graph 應用程式權限 %s 授與應用程式，並給予管理員同意",
		it: "%s: concedi all'app l'autorizzazione dell'applicazione %s di Microsoft Graph e dai il consenso amministratore",
		ja: "%s: アプリに Microsoft Graph のアプリケーションのアクセス許可 %s を付与し、管理者の同意を与えてください"},
	"%s: the app lacks a Microsoft Graph permission for this path": {
		zh: "%s：應用程式缺少此路徑所需的 Microsoft Graph 權限",
		it: "%s: all'app manca un'autorizzazione di Microsoft Graph per questo percorso",
		ja: "%s: このパスに必要な Microsoft Graph のアクセス許可がアプリにありません"},
	"%s: check the tenant, the client id, the credential, and that the token was issued for this Graph host": {
		zh: "%s：請確認租用戶、用戶端識別碼、認證，以及權杖是否為此 Graph 主機所核發",
		it: "%s: controlla il tenant, l'ID client, la credenziale e che il token sia stato emesso per questo host di Graph",
		ja: "%s: テナント、クライアント ID、資格情報、およびトークンがこの Graph ホスト向けに発行されたものかを確認してください"},
	"%s: not following the redirect to %q, so that the access token goes only to the Graph URL given": {
		zh: "%s：未跟隨重新導向至 %q，讓存取權杖只會送到指定的 Graph URL",
		it: "%s: il reindirizzamento a %q non viene seguito, perché il token di accesso vada solo all'URL di Graph indicato",
		ja: "%s: アクセス トークンが指定した Graph の URL にだけ送られるよう、%q へのリダイレクトには従いません"},
}
