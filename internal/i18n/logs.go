package i18n

// logMessages holds the messages of the log lines 'appwatch watch' writes
// (internal/watch, internal/feed, internal/outbox), keyed by their English
// text, which LogHandler shows in the language --lang names. They have no
// format verbs: what varies goes in attributes, whose keys and values
// stay English for the programs that read the logs.
var logMessages = map[string]texts{
	// The service.
	"watching":                               {zh: "正在監看", it: "monitoraggio avviato", ja: "監視を開始しました"},
	"stopped":                                {zh: "已停止", it: "arrestato", ja: "停止しました"},
	"serving /healthz, /readyz and /metrics": {zh: "正在提供 /healthz、/readyz 與 /metrics", it: "in servizio /healthz, /readyz e /metrics", ja: "/healthz、/readyz、/metrics を提供しています"},
	"http server stopped":                    {zh: "HTTP 伺服器已停止", it: "server HTTP arrestato", ja: "HTTP サーバーが停止しました"},
	"reload failed; the rules, policy and sinks in use stay": {
		zh: "重新載入失敗；繼續使用目前的規則、原則與接收端",
		it: "ricaricamento non riuscito; restano in uso le regole, il criterio e le destinazioni attuali",
		ja: "再読み込みに失敗しました。使用中のルール、ポリシー、シンクをそのまま使います"},
	"reloaded rules, policy and sinks": {zh: "已重新載入規則、原則與接收端", it: "regole, criterio e destinazioni ricaricati", ja: "ルール、ポリシー、シンクを再読み込みしました"},
	"sink removed; its pending deliveries stay in the store until a sink of that name is configured again (appwatch deliveries list)": {
		zh: "已移除接收端；其待處理的傳遞會留在存放區，直到再次設定同名的接收端為止（'appwatch deliveries list'）",
		it: "destinazione rimossa; le sue consegne in attesa restano nell'archivio finché non si configura di nuovo una destinazione con quel nome ('appwatch deliveries list')",
		ja: "シンクを削除しました。保留中の配信は、同じ名前のシンクを再び設定するまでストアに残ります ('appwatch deliveries list')"},
	"the sinks replaced did not close cleanly": {
		zh: "被取代的接收端未能正常關閉",
		it: "le destinazioni sostituite non si sono chiuse correttamente",
		ja: "置き換えたシンクを正常に閉じられませんでした"},
	"rule not loaded":                   {zh: "未載入規則", it: "regola non caricata", ja: "ルールを読み込めませんでした"},
	"source stopped; starting it again": {zh: "來源已停止；正在重新啟動", it: "origine arrestata; viene riavviata", ja: "ソースが停止しました。もう一度開始します"},
	"store operation failed; trying again": {
		zh: "存放區作業失敗；正在重試",
		it: "operazione sull'archivio non riuscita; nuovo tentativo",
		ja: "ストアの操作に失敗しました。再試行します"},
	"batch not stored before stopping; its records are read again at the next start": {
		zh: "停止前未儲存批次；下次啟動時會重新讀取其記錄",
		it: "lotto non salvato prima dell'arresto; i suoi record vengono riletti al prossimo avvio",
		ja: "停止前にバッチを保存できませんでした。次回の開始時にそのレコードをもう一度読み取ります"},
	"batch not stored: another process read its records": {
		zh: "未儲存批次：另一個處理程序已讀取其記錄",
		it: "lotto non salvato: un altro processo ha letto i suoi record",
		ja: "バッチを保存しませんでした: 別のプロセスがそのレコードを読み取りました"},
	"silences not read; those read last apply": {
		zh: "未讀取靜音；沿用上次讀取的靜音",
		it: "silenzi non letti; valgono quelli letti l'ultima volta",
		ja: "サイレンスを読み取れませんでした。前回読み取ったものを適用します"},
	// Correlations and pruning.
	"correlation sweep": {zh: "相互關聯掃描", it: "passata delle correlazioni", ja: "相関のスイープ"},
	"correlations not evaluated; they are tried again at the next sweep": {
		zh: "未評估相互關聯；下次掃描時會重試",
		it: "correlazioni non valutate; vengono riprovate alla prossima passata",
		ja: "相関を評価できませんでした。次のスイープで再試行します"},
	"correlation result not passed on": {zh: "未傳遞相互關聯結果", it: "risultato della correlazione non trasmesso", ja: "相関の結果を渡せませんでした"},
	"prune":                            {zh: "清除", it: "pulizia", ja: "削除"},
	"pruned the store":                 {zh: "已清除存放區中的舊資料", it: "dati vecchi eliminati dall'archivio", ja: "ストアの古いデータを削除しました"},
	// Leases: one instance does the work of a source.
	"cannot take the lease; trying again": {zh: "無法取得租約；正在重試", it: "impossibile ottenere la concessione; nuovo tentativo", ja: "リースを取得できません。再試行します"},
	"lease taken: this instance does the work": {
		zh: "已取得租約：由此執行個體執行工作",
		it: "concessione ottenuta: questa istanza esegue il lavoro",
		ja: "リースを取得しました: このインスタンスが作業を行います"},
	"lease lost: another instance does the work now": {
		zh: "已失去租約：現在由另一個執行個體執行工作",
		it: "concessione persa: ora il lavoro lo esegue un'altra istanza",
		ja: "リースを失いました: 今後は別のインスタンスが作業を行います"},
	"another instance holds the lease; waiting to take over": {
		zh: "另一個執行個體持有租約；正在等待接手",
		it: "un'altra istanza detiene la concessione; in attesa di subentrare",
		ja: "別のインスタンスがリースを保持しています。引き継ぐまで待機します"},
	"cannot renew the lease": {zh: "無法續約租約", it: "impossibile rinnovare la concessione", ja: "リースを更新できません"},
	"cannot give the lease up; another instance takes over when it expires": {
		zh: "無法釋出租約；租約到期時由另一個執行個體接手",
		it: "impossibile rilasciare la concessione; un'altra istanza subentra alla sua scadenza",
		ja: "リースを解放できません。有効期限が切れると別のインスタンスが引き継ぎます"},
	// Folders (dir:).
	"file not read; trying again": {zh: "未讀取檔案；正在重試", it: "file non letto; nuovo tentativo", ja: "ファイルを読み取れませんでした。再試行します"},
	"stored position unreadable; reading the file from its start": {
		zh: "無法讀取已儲存的位置；從頭讀取檔案",
		it: "posizione salvata illeggibile; il file viene letto dall'inizio",
		ja: "保存された位置を読み取れません。ファイルを先頭から読み取ります"},
	"file content replaced since its position was stored; reading it from its start": {
		zh: "儲存位置後檔案內容已被取代；從頭讀取",
		it: "contenuto del file sostituito dopo il salvataggio della posizione; viene letto dall'inizio",
		ja: "位置を保存した後にファイルの内容が置き換えられました。先頭から読み取ります"},
	"file shrank below the position read: truncated; reading it again from its start": {
		zh: "檔案縮小到已讀取的位置以下：已被截斷；從頭重新讀取",
		it: "il file si è ridotto sotto la posizione letta: troncato; viene riletto dall'inizio",
		ja: "ファイルが読み取り済みの位置より小さくなりました (切り詰め)。先頭からもう一度読み取ります"},
	// Microsoft Graph and posture.
	"graph: waiting":                 {zh: "'graph'：正在等待", it: "'graph': in attesa", ja: "'graph': 待機中"},
	"stream read for the first time": {zh: "第一次讀取資料流", it: "flusso letto per la prima volta", ja: "ストリームを初めて読み取ります"},
	"Graph answers the stream again": {zh: "Graph 再次回應此資料流", it: "Graph risponde di nuovo per il flusso", ja: "Graph がストリームに再び応答しています"},
	"Graph refuses the stream; it is asked again at each poll, and this is not logged again until it answers": {
		zh: "Graph 拒絕此資料流；每次輪詢都會再次要求，在 Graph 回應之前不會再記錄此訊息",
		it: "Graph rifiuta il flusso; viene richiesto a ogni interrogazione, e questo non viene più registrato finché non risponde",
		ja: "Graph がストリームを拒否しています。ポーリングのたびに再要求し、応答があるまでこのログは再び記録しません"},
	"Graph still refuses the stream": {zh: "Graph 仍拒絕此資料流", it: "Graph rifiuta ancora il flusso", ja: "Graph はまだストリームを拒否しています"},
	"polling a stream failed; trying again at the next poll": {
		zh: "輪詢資料流失敗；下次輪詢時重試",
		it: "interrogazione del flusso non riuscita; nuovo tentativo alla prossima interrogazione",
		ja: "ストリームのポーリングに失敗しました。次のポーリングで再試行します"},
	"snapshot failed; trying again": {zh: "快照失敗；正在重試", it: "snapshot non riuscito; nuovo tentativo", ja: "スナップショットに失敗しました。再試行します"},
	"snapshot taken":                {zh: "已建立快照", it: "snapshot acquisito", ja: "スナップショットを取得しました"},
	"the stored snapshot cannot be read; this one is not compared with it": {
		zh: "無法讀取已儲存的快照；不會與此快照比較",
		it: "lo snapshot salvato non è leggibile; questo non viene confrontato con esso",
		ja: "保存済みのスナップショットを読み取れません。今回のスナップショットとは比較しません"},
	"posture: dangling URI checks left out": {
		zh: "'posture'：未執行無關聯 URI 檢查",
		it: "'posture': controlli degli URI orfani esclusi",
		ja: "'posture': ダングリング URI のチェックは行いません"},
	"posture: dangling URI checks left out: no DNS server (give --dns-server, or --no-dns)": {
		zh: "'posture'：未執行無關聯 URI 檢查：沒有 DNS 伺服器（請指定 --dns-server 或 --no-dns）",
		it: "'posture': controlli degli URI orfani esclusi: nessun server DNS (indica --dns-server, oppure --no-dns)",
		ja: "'posture': ダングリング URI のチェックは行いません: DNS サーバーがありません (--dns-server か --no-dns を指定してください)"},
	// Event Hubs and Kafka.
	"SASL credentials go to the brokers unencrypted: use kafkas:// unless the network is trusted": {
		zh: "SASL 認證會以未加密的方式傳送到訊息代理程式：除非網路可信任，否則請使用 kafkas://",
		it: "le credenziali SASL vanno ai broker non crittografate: usa kafkas:// a meno che la rete sia attendibile",
		ja: "SASL の資格情報が暗号化されずにブローカーに送られます。ネットワークが信頼できる場合を除き、kafkas:// を使ってください"},
	"joining consumer group": {zh: "正在加入取用者群組", it: "ingresso nel gruppo di consumatori", ja: "コンシューマー グループに参加しています"},
	"partitions assigned":    {zh: "已指派分割區", it: "partizioni assegnate", ja: "パーティションが割り当てられました"},
	"partitions revoked":     {zh: "已撤銷分割區", it: "partizioni revocate", ja: "パーティションが取り消されました"},
	"partitions lost to the group": {
		zh: "分割區已轉給群組中的其他成員",
		it: "partizioni perse a favore del gruppo",
		ja: "パーティションがグループのほかのメンバーに移りました"},
	"partitions read again from their stored positions: the store refused a stale batch": {
		zh: "從已儲存的位置重新讀取分割區：存放區拒絕了過時的批次",
		it: "partizioni rilette dalle posizioni salvate: l'archivio ha rifiutato un lotto non aggiornato",
		ja: "保存された位置からパーティションを読み直します: ストアが古いバッチを拒否しました"},
	"batches still in flight after waiting; their records may be read again by the next member": {
		zh: "等待後仍有批次正在處理；其記錄可能由下一個成員重新讀取",
		it: "lotti ancora in corso dopo l'attesa; i loro record possono essere riletti dal membro successivo",
		ja: "待機後もバッチが処理中です。そのレコードは次のメンバーがもう一度読み取る可能性があります"},
	"fetch failed; the client tries again": {
		zh: "擷取失敗；用戶端會重試",
		it: "recupero non riuscito; il client riprova",
		ja: "フェッチに失敗しました。クライアントが再試行します"},
	"committing offsets to the group failed; the next commit carries them": {
		zh: "將位移認可到群組失敗；下次認可時會一併送出",
		it: "commit degli offset al gruppo non riuscito; li porta il commit successivo",
		ja: "グループへのオフセットのコミットに失敗しました。次のコミットで送ります"},
	"leaving the consumer group": {zh: "正在離開取用者群組", it: "uscita dal gruppo di consumatori", ja: "コンシューマー グループから離脱しています"},
	// Delivery.
	"delivery":                           {zh: "傳遞", it: "consegna", ja: "配信"},
	"delivery failed; trying again":      {zh: "傳遞失敗；正在重試", it: "consegna non riuscita; nuovo tentativo", ja: "配信に失敗しました。再試行します"},
	"delivery: giving up old deliveries": {zh: "傳遞：正在放棄舊的傳遞", it: "consegna: abbandono delle consegne vecchie", ja: "配信: 古い配信を破棄しています"},
	"delivery: silences":                 {zh: "傳遞：靜音", it: "consegna: silenzi", ja: "配信: サイレンス"},
	"delivery: gave up alerts the sink could not take in time; appwatch deliveries retry sends them again": {
		zh: "傳遞：已放棄接收端未能及時接收的警示；'appwatch deliveries retry' 會重新傳送",
		it: "consegna: abbandonati gli avvisi che la destinazione non ha potuto ricevere in tempo; 'appwatch deliveries retry' li invia di nuovo",
		ja: "配信: シンクが時間内に受け取れなかったアラートを破棄しました。'appwatch deliveries retry' で再送できます"},
	"delivery: gave up an alert; appwatch deliveries retry sends it again": {
		zh: "傳遞：已放棄一則警示；'appwatch deliveries retry' 會重新傳送",
		it: "consegna: abbandonato un avviso; 'appwatch deliveries retry' lo invia di nuovo",
		ja: "配信: アラートを 1 件破棄しました。'appwatch deliveries retry' で再送できます"},
	"the web console is not served: plain HTTP is served to a loopback address only; give --tls-cert and --tls-key, or --behind-proxy": {
		zh: "未提供 Web 主控台：純 HTTP 僅在回送位址上提供；請指定 --tls-cert 與 --tls-key，或 --behind-proxy",
		it: "il pannello web non è esposto: l'HTTP semplice è esposto solo su un indirizzo di loopback; indica --tls-cert e --tls-key, o --behind-proxy",
		ja: "Web コンソールは提供されません。プレーン HTTP はループバック アドレスでのみ提供されます。--tls-cert と --tls-key、または --behind-proxy を指定してください"},
}
