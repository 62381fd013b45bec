package i18n

// messages holds every message by key. Format verbs follow fmt; a
// translation takes the same arguments, in the same order, as the English
// text. Keys ending in .one and .other are the two forms Printer.Count
// chooses between.
var messages = catalog(viewMessages, cliMessages)

// catalog joins the messages with short keys and those keyed by their
// English text, whose English is the key.
func catalog(short, english map[string]texts) map[string]texts {
	out := make(map[string]texts, len(short)+len(english))
	for k, t := range short {
		out[k] = t
	}
	for k, t := range english {
		if t.en == "" {
			t.en = k
		}
		out[k] = t
	}
	return out
}

// viewMessages are the texts of the alert table, the summaries and the
// explanations of alerts, by short key.
var viewMessages = map[string]texts{
	// Table headings.
	"col.time":     {en: "Time (UTC)", zh: "時間（UTC）", it: "Data e ora (UTC)", ja: "日時 (UTC)"},
	"col.level":    {en: "Level", zh: "嚴重性", it: "Gravità", ja: "重要度"},
	"col.actor":    {en: "Actor", zh: "執行者", it: "Attore", ja: "アクター"},
	"col.target":   {en: "Target", zh: "目標", it: "Destinazione", ja: "対象"},
	"col.title":    {en: "Title", zh: "標題", it: "Titolo", ja: "タイトル"},
	"col.evidence": {en: "Evidence", zh: "證據", it: "Evidenze", ja: "証拠"},
	"col.rule":     {en: "Rule", zh: "規則", it: "Regola", ja: "ルール"},
	"col.row":      {en: "Guide row", zh: "指南項目", it: "Riga della guida", ja: "ガイドの項目"},
	"col.why":      {en: "Why", zh: "原因", it: "Motivo", ja: "理由"},

	// Headings of 'appwatch rules list' and 'appwatch posture --list-checks',
	// tab-separated, and the kinds of rule.
	"head.rules":          {en: "RULE\tGUIDE ROW\tLEVEL\tKIND\tTITLE", zh: "規則\t指南項目\t嚴重性\t種類\t標題", it: "REGOLA\tRIGA DELLA GUIDA\tGRAVITÀ\tTIPO\tTITOLO", ja: "ルール\tガイドの項目\t重要度\t種類\tタイトル"},
	"head.checks":         {en: "CHECK\tGUIDE ROW\tLEVEL\tTITLE", zh: "檢查\t指南項目\t嚴重性\t標題", it: "CONTROLLO\tRIGA DELLA GUIDA\tGRAVITÀ\tTITOLO", ja: "チェック\tガイドの項目\t重要度\tタイトル"},
	"head.events":         {en: "TIME (UTC)\tKIND\tRESULT\tACTIVITY\tACTOR\tTARGET", zh: "時間（UTC）\t種類\t結果\t活動\t執行者\t目標", it: "DATA E ORA (UTC)\tTIPO\tESITO\tATTIVITÀ\tATTORE\tDESTINAZIONE", ja: "日時 (UTC)\t種類\t結果\tアクティビティ\tアクター\t対象"},
	"head.deliveries":     {en: "ID\tSINK\tSTATE\tATTEMPTS\tSTORED (UTC)\tNEXT/DONE (UTC)\tALERT\tLAST ERROR", zh: "ID\t接收端\t狀態\t嘗試次數\t儲存時間（UTC）\t下次／完成（UTC）\t警示\t最近的錯誤", it: "ID\tDESTINAZIONE\tSTATO\tTENTATIVI\tSALVATO (UTC)\tPROSSIMO/FATTO (UTC)\tAVVISO\tULTIMO ERRORE", ja: "ID\tシンク\t状態\t試行回数\t保存日時 (UTC)\t次回/完了 (UTC)\tアラート\t最後のエラー"},
	"head.silences":       {en: "ID\tMATCHERS\tUNTIL (UTC)\tAUTHOR\tSUPPRESSED\tREASON", zh: "ID\t比對條件\t到期（UTC）\t建立者\t已抑制\t原因", it: "ID\tCONDIZIONI\tFINO A (UTC)\tAUTORE\tSOPPRESSI\tMOTIVO", ja: "ID\t条件\t期限 (UTC)\t作成者\t抑制済み\t理由"},
	"head.silence-events": {en: "SILENCE\tACTION\tAT (UTC)\tAUTHOR\tDETAIL", zh: "靜音\t動作\t時間（UTC）\t執行者\t詳細資料", it: "SILENZIO\tAZIONE\tDATA E ORA (UTC)\tAUTORE\tDETTAGLI", ja: "サイレンス\t操作\t日時 (UTC)\tアクター\t詳細"},
	"head.accounts":       {en: "NAME\tROLE\tSET (UTC)\tSESSIONS", zh: "名稱\t角色\t設定時間（UTC）\t工作階段", it: "NOME\tRUOLO\tIMPOSTATO (UTC)\tSESSIONI", ja: "名前\tロール\t設定日時 (UTC)\tセッション"},
	"kind.detection":      {en: "detection", zh: "偵測", it: "rilevamento", ja: "検出"},
	"kind.correlation":    {en: "correlation", zh: "關聯", it: "correlazione", ja: "相関"},
	"kind.input":          {en: "input", zh: "關聯輸入", it: "input di correlazione", ja: "相関の入力"},

	// Labels of 'appwatch rules show'.
	"show.rule":            {en: "rule:", zh: "規則：", it: "regola:", ja: "ルール:"},
	"show.id":              {en: "id:", zh: "ID：", it: "id:", ja: "ID:"},
	"show.guide-row":       {en: "guide row:", zh: "指南項目：", it: "riga della guida:", ja: "ガイドの項目:"},
	"show.level":           {en: "level:", zh: "嚴重性：", it: "gravità:", ja: "重要度:"},
	"show.kind":            {en: "kind:", zh: "種類：", it: "tipo:", ja: "種類:"},
	"show.status":          {en: "status:", zh: "狀態：", it: "stato:", ja: "状態:"},
	"show.attack":          {en: "att&ck:", zh: "ATT&CK：", it: "ATT&CK:", ja: "ATT&CK:"},
	"show.logsource":       {en: "logsource:", zh: "記錄來源：", it: "origine dei log:", ja: "ログ ソース:"},
	"show.correlates":      {en: "correlates:", zh: "相互關聯的規則：", it: "regole correlate:", ja: "相関させるルール:"},
	"show.file":            {en: "file:", zh: "檔案：", it: "file:", ja: "ファイル:"},
	"show.false-positives": {en: "False positives:", zh: "誤判：", it: "Falsi positivi:", ja: "誤検知:"},

	// Alert levels.
	"level.informational": {en: "informational", zh: "資訊", it: "informativo", ja: "情報"},
	"level.low":           {en: "low", zh: "低", it: "basso", ja: "低"},
	"level.medium":        {en: "medium", zh: "中", it: "medio", ja: "中"},
	"level.high":          {en: "high", zh: "高", it: "alto", ja: "高"},
	"level.critical":      {en: "critical", zh: "重大", it: "critico", ja: "重大"},

	// Summary and coverage lines.
	"summary.alerts.one":     {en: "%d alert", zh: "%d 則警示", it: "%d avviso", ja: "アラート %d 件"},
	"summary.alerts.other":   {en: "%d alerts", zh: "%d 則警示", it: "%d avvisi", ja: "アラート %d 件"},
	"summary.none":           {en: "No alerts.", zh: "沒有警示。", it: "Nessun avviso.", ja: "アラートはありません。"},
	"summary.by-level":       {en: "%s: %s", zh: "%s：%s", it: "%s: %s", ja: "%s: %s"},
	"summary.level-count":    {en: "%d %s", zh: "%[2]s %[1]d", it: "%[2]s %[1]d", ja: "%[2]s %[1]d"},
	"summary.rows":           {en: "Guide rows with alerts: %d of %d", zh: "有警示的指南項目：%d / %d", it: "Righe della guida con avvisi: %d su %d", ja: "アラートが出たガイド項目: %[2]d 項目中 %[1]d 項目"},
	"summary.below-level":    {en: "Below --min-level %[2]s, not shown: %[1]d", zh: "低於 --min-level %[2]s 而未顯示：%[1]d", it: "Sotto --min-level %[2]s, non mostrati: %[1]d", ja: "--min-level %[2]s 未満のため非表示: %[1]d"},
	"summary.outside-window": {en: "Outside --since/--until, not shown: %d", zh: "不在 --since/--until 範圍內而未顯示：%d", it: "Fuori da --since/--until, non mostrati: %d", ja: "--since/--until の範囲外のため非表示: %d"},
	"summary.suppressed":     {en: "Suppressed by the policy: %d", zh: "依原則隱藏：%d", it: "Soppressi dal criterio: %d", ja: "ポリシーで抑制: %d"},
	"summary.copies":         {en: "Further records of changes already alerted on: %d", zh: "已發出警示之變更的其他記錄：%d", it: "Altri record di modifiche già segnalate: %d", ja: "アラート済みの変更に関する追加レコード: %d"},
	"summary.late":           {en: "Correlation inputs read too far out of time order to be matched with earlier steps: %d", zh: "因時間順序差距過大而無法與先前步驟關聯的關聯輸入：%d", it: "Input di correlazione letti troppo fuori ordine temporale per essere abbinati ai passaggi precedenti: %d", ja: "時刻順から大きく外れて読み込まれ、前の手順と照合できなかった相関の入力: %d"},
	"coverage.could-show":    {en: "Guide rows the input could show: %d of %d", zh: "輸入資料可涵蓋的指南項目：%d / %d", it: "Righe della guida coperte dai dati forniti: %d su %d", ja: "入力データで検出できるガイド項目: %[2]d 項目中 %[1]d 項目"},
	"coverage.because":       {en: "%s (%s)", zh: "%s（%s）", it: "%s (%s)", ja: "%s (%s)"},
	"coverage.not-covered":   {en: "not covered by the input", zh: "輸入資料未涵蓋", it: "non coperta dai dati forniti", ja: "入力データの対象外"},
	"coverage.no-audit":      {en: "no audit logs given", zh: "未提供稽核記錄", it: "nessun log di controllo fornito", ja: "監査ログが指定されていません"},
	"coverage.no-signin":     {en: "no sign-in logs given", zh: "未提供登入記錄", it: "nessun log di accesso fornito", ja: "サインイン ログが指定されていません"},
	"coverage.no-keyvault":   {en: "no Key Vault logs given", zh: "未提供 Key Vault 記錄", it: "nessun log di Key Vault fornito", ja: "Key Vault ログが指定されていません"},
	"coverage.posture-only":  {en: "posture only", zh: "僅限態勢檢查", it: "solo verifica della postura", ja: "態勢チェックのみ"},

	// Context of an alert.
	"ctx.outside-hours":  {en: "outside business hours", zh: "正常上班時間以外", it: "fuori dalle ore lavorative", ja: "営業時間外"},
	"ctx.change-window":  {en: "in change window %s", zh: "位於變更時段 %s", it: "nella finestra di modifica %s", ja: "変更期間 %s 内"},
	"ctx.approved-actor": {en: "approved actor", zh: "已核准的執行者", it: "attore approvato", ja: "承認済みのアクター"},

	// Notifications (internal/notify): labels of chat messages.
	"notify.yes":               {en: "yes", zh: "是", it: "sì", ja: "はい"},
	"notify.no":                {en: "no", zh: "否", it: "no", ja: "いいえ"},
	"notify.outside-hours":     {en: "Outside business hours", zh: "正常上班時間以外", it: "Fuori dalle ore lavorative", ja: "営業時間外"},
	"notify.remediation":       {en: "What to do", zh: "處理方式", it: "Cosa fare", ja: "対処方法"},
	"notify.alert-key":         {en: "Alert key", zh: "警示索引鍵", it: "Chiave dell'avviso", ja: "アラート キー"},
	"notify.tenant":            {en: "Tenant", zh: "租用戶", it: "Tenant", ja: "テナント"},
	"notify.app-registration":  {en: "App registration", zh: "應用程式註冊", it: "Registrazione dell'applicazione", ja: "アプリケーションの登録"},
	"notify.enterprise-app":    {en: "Enterprise application", zh: "企業應用程式", it: "Applicazione aziendale", ja: "エンタープライズ アプリケーション"},
	"notify.truncated":         {en: "(cut short)", zh: "（內容過長，已截斷）", it: "(testo troncato)", ja: "(長すぎるため省略)"},
	"notify.more-alerts.one":   {en: "…and %d more alert", zh: "……另有 %d 則警示", it: "…e %d altro avviso", ja: "…ほか %d 件のアラート"},
	"notify.more-alerts.other": {en: "…and %d more alerts", zh: "……另有 %d 則警示", it: "…e altri %d avvisi", ja: "…ほか %d 件のアラート"},
	"notify.more-values.one":   {en: "…and %d more value", zh: "……另有 %d 個值", it: "…e %d altro valore", ja: "…ほか %d 個の値"},
	"notify.more-values.other": {en: "…and %d more values", zh: "……另有 %d 個值", it: "…e altri %d valori", ja: "…ほか %d 個の値"},

	// Explanations of an alert's evidence.
	"why.sep":                {en: "; ", zh: "；", it: "; ", ja: " / "},
	"why.list-sep":           {en: ", ", zh: "、", it: ", ", ja: "、"},
	"why.none":               {en: "(none)", zh: "（無）", it: "(nessuno)", ja: "(なし)"},
	"why.activity":           {en: "activity: %s", zh: "活動：%s", it: "attività: %s", ja: "アクティビティ: %s"},
	"why.failed":             {en: "failed: %s", zh: "失敗：%s", it: "non riuscito: %s", ja: "失敗: %s"},
	"why.cred-added":         {en: "credential added: %s", zh: "新增認證：%s", it: "credenziale aggiunta: %s", ja: "資格情報を追加: %s"},
	"why.cred-removed":       {en: "credential removed: %s", zh: "移除認證：%s", it: "credenziale rimossa: %s", ja: "資格情報を削除: %s"},
	"why.grant-application":  {en: "application permissions %s on %s", zh: "應用程式權限 %s，API：%s", it: "autorizzazioni dell'applicazione %s su %s", ja: "アプリケーションのアクセス許可 %s (API: %s)"},
	"why.grant-delegated":    {en: "delegated permissions %s on %s", zh: "委派權限 %s，API：%s", it: "autorizzazioni delegate %s su %s", ja: "委任されたアクセス許可 %s (API: %s)"},
	"why.grant-api":          {en: "permissions on %s", zh: "API 權限：%s", it: "autorizzazioni su %s", ja: "API のアクセス許可: %s"},
	"why.all-users":          {en: "for all users", zh: "代表所有使用者", it: "per tutti gli utenti", ja: "全ユーザーが対象"},
	"why.admin-consent":      {en: "admin consent", zh: "管理員同意", it: "consenso amministratore", ja: "管理者の同意"},
	"why.user-consent":       {en: "consented by a user", zh: "由使用者同意", it: "consenso dell'utente", ja: "ユーザーによる同意"},
	"why.role":               {en: "role %s", zh: "角色 %s", it: "ruolo %s", ja: "ロール %s"},
	"why.role-privileged":    {en: "privileged role %s", zh: "特殊權限角色 %s", it: "ruolo con privilegi %s", ja: "特権ロール %s"},
	"why.redirect-added":     {en: "redirect URI added: %s", zh: "新增重新導向 URI：%s", it: "URI di reindirizzamento aggiunto: %s", ja: "リダイレクト URI を追加: %s"},
	"why.redirect-removed":   {en: "redirect URI removed: %s", zh: "移除重新導向 URI：%s", it: "URI di reindirizzamento rimosso: %s", ja: "リダイレクト URI を削除: %s"},
	"why.identifier-added":   {en: "app ID URI added: %s", zh: "新增 AppID URI：%s", it: "URI AppID aggiunto: %s", ja: "AppID URI を追加: %s"},
	"why.identifier-removed": {en: "app ID URI removed: %s", zh: "移除 AppID URI：%s", it: "URI AppID rimosso: %s", ja: "AppID URI を削除: %s"},
	"why.logout":             {en: "logout URL %s → %s", zh: "登出 URL %s → %s", it: "URL di disconnessione %s → %s", ja: "ログアウト URL %s → %s"},
	"why.protocol":           {en: "protocol %s", zh: "通訊協定 %s", it: "protocollo %s", ja: "プロトコル %s"},
	"why.risk":               {en: "risk detected: %s", zh: "偵測到風險：%s", it: "rischio rilevato: %s", ja: "検出されたリスク: %s"},
	"why.keyvault":           {en: "Key Vault operation %s", zh: "Key Vault 作業 %s", it: "operazione Key Vault %s", ja: "Key Vault 操作 %s"},
	"why.kv-policy":          {en: "access policy changed", zh: "存取原則已變更", it: "criteri di accesso modificati", ja: "アクセス ポリシーを変更"},
	"why.azure":              {en: "Azure operation %s", zh: "Azure 作業 %s", it: "operazione Azure %s", ja: "Azure 操作 %s"},
	"why.status":             {en: "status %s", zh: "狀態 %s", it: "stato %s", ja: "状態 %s"},
	"why.suspicious-name":    {en: "suspicious app name: %s", zh: "可疑的應用程式名稱：%s", it: "nome app sospetto: %s", ja: "疑わしいアプリ名: %s"},
	"why.related":            {en: "%d related events", zh: "%d 筆相關事件", it: "%d eventi correlati", ja: "関連イベント %d 件"},
	"why.generic-name":       {en: "generic name", zh: "通用名稱", it: "nome generico", ja: "汎用的な名前"},
	"why.looks-like":         {en: "looks like %s", zh: "近似 %s", it: "somiglia a %s", ja: "%s に類似"},

	// Explanations of a posture finding's evidence.
	"why.kind-secret":            {en: "client secret", zh: "用戶端祕密", it: "segreto client", ja: "クライアント シークレット"},
	"why.kind-certificate":       {en: "certificate", zh: "憑證", it: "certificato", ja: "証明書"},
	"why.cred-days":              {en: "valid %s days, limit %s", zh: "有效 %s 天，上限 %s 天", it: "valido %s giorni, limite %s", ja: "有効期間 %s 日、上限 %s 日"},
	"why.cred-ended":             {en: "expired %s", zh: "已於 %s 到期", it: "scaduto il %s", ja: "%s に期限切れ"},
	"why.cred-ends":              {en: "expires %s", zh: "將於 %s 到期", it: "scade il %s", ja: "%s に期限切れ予定"},
	"why.reason-has_certificate": {en: "the app also has a certificate", zh: "此應用程式也有憑證", it: "l'app ha anche un certificato", ja: "アプリには証明書もある"},
	"why.reason-privileged":      {en: "the app is privileged", zh: "此應用程式具有特殊權限", it: "l'app ha privilegi elevati", ja: "アプリが特権を持つ"},
	"why.origin-first-party":     {en: "app registered by Microsoft", zh: "由 Microsoft 註冊的應用程式", it: "app registrata da Microsoft", ja: "Microsoft が登録したアプリ"},
	"why.origin-other-tenant":    {en: "app registered in tenant %s", zh: "在租用戶 %s 註冊的應用程式", it: "app registrata nel tenant %s", ja: "テナント %s で登録されたアプリ"},
	"why.uris.one":               {en: "URI %[2]s", zh: "URI %[2]s", it: "URI %[2]s", ja: "URI %[2]s"},
	"why.uris.other":             {en: "%d URIs: %s", zh: "%d 個 URI：%s", it: "%d URI: %s", ja: "URI %d 件: %s"},
	"why.also-on":                {en: "also on %s", zh: "也用於 %s", it: "usato anche da %s", ja: "%s でも使用"},
	"why.logout-missing":         {en: "no logout URL", zh: "沒有登出 URL", it: "nessun URL di disconnessione", ja: "ログアウト URL がない"},
	"why.logout-blank":           {en: "blank logout URL", zh: "登出 URL 為空白", it: "URL di disconnessione vuoto", ja: "ログアウト URL が空白"},
	"why.user-owners":            {en: "user owners: %s", zh: "使用者擁有者：%s", it: "proprietari utente: %s", ja: "ユーザーの所有者: %s"},
	"why.holds":                  {en: "holds %s", zh: "具有 %s", it: "detiene %s", ja: "保有: %s"},
	"why.owner-added":            {en: "owner added: %s", zh: "新增擁有者：%s", it: "proprietario aggiunto: %s", ja: "所有者を追加: %s"},
	"why.snapshots":              {en: "found by comparing snapshots", zh: "由快照比對發現", it: "trovato confrontando snapshot", ja: "スナップショットの比較で検出"},

	// What is wrong with a URI.
	"issue.not_https":             {en: "not HTTPS", zh: "非 HTTPS", it: "non HTTPS", ja: "HTTPS 以外"},
	"issue.wildcard":              {en: "wildcard", zh: "萬用字元", it: "carattere jolly", ja: "ワイルドカード"},
	"issue.not_owned_domain":      {en: "domain the tenant does not own", zh: "非租用戶擁有的網域", it: "dominio non del tenant", ja: "テナントが所有していないドメイン"},
	"issue.shared_with_other_app": {en: "also used by another app", zh: "其他應用程式也在使用", it: "usato anche da un'altra app", ja: "他のアプリでも使用中"},
	"issue.claimable_host":        {en: "host others could claim", zh: "他人可認領的主機", it: "host rivendicabile da terzi", ja: "第三者が取得できるホスト"},
	"issue.blank":                 {en: "blank", zh: "空白", it: "vuoto", ja: "空白"},
	"host.cloud_hosting":          {en: "cloud host %s", zh: "雲端主機 %s", it: "host cloud %s", ja: "クラウド ホスト %s"},
	"host.tunnel":                 {en: "tunnel service %s", zh: "通道服務 %s", it: "servizio di tunnel %s", ja: "トンネル サービス %s"},
	"host.dynamic_dns":            {en: "dynamic DNS %s", zh: "動態 DNS %s", it: "DNS dinamico %s", ja: "ダイナミック DNS %s"},
	"host.url_shortener":          {en: "URL shortener %s", zh: "短網址服務 %s", it: "accorciatore di URL %s", ja: "短縮 URL サービス %s"},
	"ownership.undecided":         {en: "owner not known: neither the policy nor a snapshot lists the tenant's domains", zh: "無法判定擁有者：原則與快照都未列出租用戶的網域", it: "proprietario non noto: né i criteri né uno snapshot elencano i domini del tenant", ja: "所有者を判定できません: ポリシーにもスナップショットにもテナントのドメインがありません"},

	// A one-sentence message about an alert: who did it, on what.
	"msg.by": {en: "by %s", zh: "執行者 %s", it: "da %s", ja: "アクター %s"},
	"msg.on": {en: "on %s", zh: "目標 %s", it: "su %s", ja: "対象 %s"},
	"msg.stored": {en: "alert_key %s, status %s, first seen %s", zh: "alert_key %s，狀態 %s，首次儲存於 %s",
		it: "alert_key %s, stato %s, registrato la prima volta il %s", ja: "alert_key %s、状態 %s、初回保存 %s"},
	"msg.end": {en: ".", zh: "。", it: ".", ja: "。"},

	// Sections of the guide.
	"section.credentials":   {en: "Application credentials", zh: "應用程式認證", it: "Credenziali dell'applicazione", ja: "アプリケーションの資格情報"},
	"section.permissions":   {en: "Application permissions", zh: "應用程式權限", it: "Autorizzazioni dell'applicazione", ja: "アプリケーションのアクセス許可"},
	"section.keyvault":      {en: "Azure Key Vault", zh: "Azure Key Vault", it: "Azure Key Vault", ja: "Azure Key Vault"},
	"section.auth-flows":    {en: "Authentication flows", zh: "驗證流程", it: "Flussi di autenticazione", ja: "認証フロー"},
	"section.configuration": {en: "Application configuration", zh: "應用程式設定", it: "Configurazione dell'applicazione", ja: "アプリケーションの構成"},
	"section.other":         {en: "Other rules", zh: "其他規則", it: "Altre regole", ja: "その他のルール"},

	// Short names of the rows posture checks use beyond the guide's.
	"row.app-usage":              {en: "Unused apps and access", zh: "未使用的應用程式與存取權", it: "App e accessi inutilizzati", ja: "使われていないアプリとアクセス"},
	"row.tenant-settings":        {en: "Tenant app settings", zh: "租用戶應用程式設定", it: "Impostazioni app del tenant", ja: "テナントのアプリ設定"},
	"row.workload-identity-risk": {en: "Workload identity risk", zh: "工作負載身分識別風險", it: "Rischio delle identità del carico di lavoro", ja: "ワークロード ID のリスク"},
}
