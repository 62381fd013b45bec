package i18n

import "slices"

// Term is one entry of the glossary: a concept, the words Microsoft's
// translations of the guide use for it in each language, and the words a
// translation must not use instead. An admin searches the portal and the
// documentation with Microsoft's words, so appwatch writes them too.
type Term struct {
	// ID names the entry: "client-secret", or "row.<key>" for the short
	// name of a guide row.
	ID string
	// In holds the term in each language, English included.
	In map[string]Usage
}

// Usage is how one language writes a term.
type Usage struct {
	// Right lists the accepted forms, the preferred one first.
	Right []string
	// Wrong lists variants that must not be used. A wrong form found
	// inside an occurrence of a right form does not count.
	Wrong []string
	// Lines are the lines of Microsoft's translation of the guide
	// (../shared/seeds/guide.<lang>.txt) where a right form is used.
	Lines []int
	// Basis says where the term comes from when the guide does not use
	// it: the Microsoft Entra admin center or the Microsoft Learn pages
	// in that language.
	Basis string
	// Shares lists, for the short name of a guide row, the words it
	// shares with the row's line in the guide.
	Shares []string
}

// Preferred returns the preferred form of the term in lang, or "" when
// the glossary has none.
func (t Term) Preferred(lang string) string {
	if u := t.In[lang]; len(u.Right) > 0 {
		return u.Right[0]
	}
	return ""
}

// Glossary returns the glossary: the terms of the guide, then the short
// name of each of the guide's rows.
func Glossary() []Term {
	out := slices.Clone(terms)
	return append(out, rowTerms...)
}

// Where a term comes from when the guide does not use it.
const (
	basisPortal = "the Microsoft Entra admin center in this language"
	basisKV     = "Azure Key Vault pages of Microsoft Learn in this language (the guide says ACL)"
	basisRoles  = "the built-in role names Microsoft Entra shows in this language"
	basisAzure  = "the Azure built-in role names the Azure portal shows in this language"
	basisPIM    = "Privileged Identity Management in the Microsoft Entra admin center in this language"
	basisWindow = "appwatch's own term for the policy's change windows, next to the guide's change management"
)

// terms are the guide's terms. Line numbers refer to guide.<lang>.txt.
var terms = []Term{
	{ID: "app-registration", In: map[string]Usage{
		English:            {Right: []string{"app registration", "application registration"}, Lines: []int{231}},
		TraditionalChinese: {Right: []string{"應用程式註冊"}, Wrong: []string{"應用程式登錄"}, Lines: []int{217}},
		Italian:            {Right: []string{"registrazione dell'applicazione", "registrazioni dell'applicazione"}, Wrong: []string{"registrazione dell'app", "registrazioni dell'app", "registrazione app", "registrazioni app"}, Lines: []int{226}},
		Japanese:           {Right: []string{"アプリケーションの登録"}, Wrong: []string{"アプリの登録", "アプリケーション登録", "アプリ登録"}, Lines: []int{229}},
	}},
	{ID: "service-principal", In: map[string]Usage{
		English:            {Right: []string{"service principal"}, Lines: []int{18, 34}},
		TraditionalChinese: {Right: []string{"服務主體"}, Wrong: []string{"服務主要", "服務原則"}, Lines: []int{16, 32}},
		Italian:            {Right: []string{"entità servizio"}, Wrong: []string{"entità di servizio", "principale del servizio", "service principal"}, Lines: []int{13, 29}},
		Japanese:           {Right: []string{"サービス プリンシパル"}, Wrong: []string{"サービスプリンシパル"}, Lines: []int{16, 32}},
	}},
	{ID: "enterprise-application", In: map[string]Usage{
		English:            {Right: []string{"enterprise application", "enterprise app"}, Basis: basisPortal},
		TraditionalChinese: {Right: []string{"企業應用程式"}, Wrong: []string{"企業應用"}, Basis: basisPortal},
		Italian:            {Right: []string{"applicazione aziendale", "applicazioni aziendali"}, Wrong: []string{"app aziendale", "app aziendali"}, Basis: basisPortal},
		Japanese:           {Right: []string{"エンタープライズ アプリケーション"}, Wrong: []string{"エンタープライズ アプリ", "エンタープライズアプリ"}, Basis: basisPortal},
	}},
	{ID: "credential", In: map[string]Usage{
		English:            {Right: []string{"credential"}, Lines: []int{30, 74}},
		TraditionalChinese: {Right: []string{"認證"}, Wrong: []string{"憑據", "認證資訊"}, Lines: []int{28, 60}},
		Italian:            {Right: []string{"credenziali", "credenziale"}, Lines: []int{25, 69}},
		Japanese:           {Right: []string{"資格情報"}, Wrong: []string{"認証情報", "クレデンシャル"}, Lines: []int{28, 72}},
	}},
	{ID: "client-secret", In: map[string]Usage{
		English:            {Right: []string{"client secret", "secret"}, Lines: []int{76}},
		TraditionalChinese: {Right: []string{"用戶端祕密", "祕密"}, Wrong: []string{"用戶端密碼", "密碼或憑證", "密碼與憑證", "長效密碼", "秘密", "用戶端秘密"}, Lines: []int{62}},
		Italian:            {Right: []string{"segreto client", "segreti client", "segreto", "segreti"}, Wrong: []string{"segreto del client", "segreti del client", "chiave privata client"}, Lines: []int{71}},
		Japanese:           {Right: []string{"クライアント シークレット", "シークレット"}, Wrong: []string{"クライアントシークレット", "クライアント秘密"}, Lines: []int{74}},
	}},
	{ID: "certificate", In: map[string]Usage{
		English:            {Right: []string{"certificate"}, Lines: []int{76}},
		TraditionalChinese: {Right: []string{"憑證"}, Wrong: []string{"證書"}, Lines: []int{62}},
		Italian:            {Right: []string{"certificato", "certificati"}, Lines: []int{71}},
		Japanese:           {Right: []string{"証明書"}, Wrong: []string{"サーティフィケート"}, Lines: []int{74}},
	}},
	{ID: "lifetime", In: map[string]Usage{
		English:            {Right: []string{"lifetime"}, Lines: []int{91, 94}},
		TraditionalChinese: {Right: []string{"存留期"}, Wrong: []string{"有效期", "長效", "有效時間"}, Lines: []int{66, 77}},
		Italian:            {Right: []string{"durata"}, Wrong: []string{"tempo di vita", "ciclo di vita", "periodo di validità", "intervallo di vita"}, Lines: []int{75, 86}},
		Japanese:           {Right: []string{"有効期間"}, Wrong: []string{"存続期間", "ライフタイム"}, Lines: []int{89, 92}},
	}},
	{ID: "user-consent", In: map[string]Usage{
		English:            {Right: []string{"user consent", "end-user consent"}, Lines: []int{187}},
		TraditionalChinese: {Right: []string{"使用者同意"}, Lines: []int{173}},
		Italian:            {Right: []string{"consenso utente", "consenso dell'utente", "consenso degli utenti"}, Wrong: []string{"consenso da parte dell'utente"}, Lines: []int{182}},
		Japanese:           {Right: []string{"ユーザーの同意"}, Wrong: []string{"ユーザー同意"}, Lines: []int{185}},
	}},
	{ID: "admin-consent", In: map[string]Usage{
		English:            {Right: []string{"admin consent"}, Basis: basisPortal},
		TraditionalChinese: {Right: []string{"管理員同意"}, Wrong: []string{"系統管理員同意", "管理者同意"}, Lines: []int{122}},
		Italian:            {Right: []string{"consenso amministratore"}, Wrong: []string{"consenso dell'amministratore", "consenso di un amministratore", "consenso degli amministratori", "consenso admin"}, Basis: basisPortal},
		Japanese:           {Right: []string{"管理者の同意"}, Wrong: []string{"管理者同意", "管理者による同意"}, Basis: basisPortal},
	}},
	{ID: "risk-based-consent", In: map[string]Usage{
		English:            {Right: []string{"risk-based consent"}, Lines: []int{192}},
		TraditionalChinese: {Right: []string{"風險型同意"}, Wrong: []string{"以風險為基礎的同意", "風險式同意"}, Lines: []int{178}},
		Italian:            {Right: []string{"consenso basato sul rischio"}, Wrong: []string{"consenso basato su rischio", "consenso basato sui rischi"}, Lines: []int{187}},
		Japanese:           {Right: []string{"リスクベースの同意"}, Wrong: []string{"リスク ベースの同意"}, Lines: []int{190}},
	}},
	{ID: "delegated-permission", In: map[string]Usage{
		English:            {Right: []string{"delegated permission"}, Lines: []int{128}},
		TraditionalChinese: {Right: []string{"委派權限", "已委派權限", "已委派的權限"}, Wrong: []string{"委託權限", "委派許可權"}, Lines: []int{114, 117}},
		Italian:            {Right: []string{"autorizzazioni delegate", "autorizzazione delegata"}, Wrong: []string{"permessi delegati", "autorizzazioni delegati"}, Lines: []int{126}},
		Japanese:           {Right: []string{"委任されたアクセス許可"}, Wrong: []string{"委任アクセス許可", "委任されたアクセス権限", "委任許可"}, Lines: []int{126}},
	}},
	{ID: "application-permission", In: map[string]Usage{
		English:            {Right: []string{"application permission"}, Lines: []int{128}},
		TraditionalChinese: {Right: []string{"應用程式權限"}, Wrong: []string{"應用程式許可權"}, Lines: []int{109, 114}},
		Italian:            {Right: []string{"autorizzazione dell'applicazione", "autorizzazioni dell'applicazione"}, Wrong: []string{"autorizzazione applicazione", "autorizzazioni applicazione", "autorizzazione app", "autorizzazioni app", "permessi dell'applicazione"}, Lines: []int{118, 123}},
		Japanese:           {Right: []string{"アプリケーションのアクセス許可"}, Wrong: []string{"アプリケーション アクセス許可", "アプリケーション許可"}, Lines: []int{121, 126}},
	}},
	{ID: "app-role", In: map[string]Usage{
		English:            {Right: []string{"app role"}, Lines: []int{123}},
		TraditionalChinese: {Right: []string{"應用程式角色"}, Wrong: []string{"應用角色"}, Lines: []int{109}},
		Italian:            {Right: []string{"ruolo dell'app", "ruoli dell'app"}, Wrong: []string{"ruolo app", "ruoli app", "ruolo applicazione", "ruoli applicazione"}, Lines: []int{123, 146}},
		Japanese:           {Right: []string{"アプリ ロール"}, Wrong: []string{"アプリロール", "アプリケーション ロール"}, Lines: []int{121}},
	}},
	{ID: "verified-publisher", In: map[string]Usage{
		English:            {Right: []string{"verified publisher", "unverified publisher"}, Basis: basisPortal},
		TraditionalChinese: {Right: []string{"已驗證的發行者", "已驗證發行者", "發行者"}, Wrong: []string{"已驗證的發佈者", "已驗證的發布者"}, Basis: basisPortal},
		Italian:            {Right: []string{"editore verificato", "editori verificati", "editore"}, Wrong: []string{"autore verificato", "autori verificati", "autore non verificato", "autori non verificati"}, Basis: basisPortal},
		Japanese:           {Right: []string{"確認済みの発行元", "発行元"}, Wrong: []string{"検証済みの発行元", "確認済みの公開元"}, Basis: basisPortal},
	}},
	{ID: "sensitive-data", In: map[string]Usage{
		English:            {Right: []string{"sensitive data", "sensitive"}, Lines: []int{121}},
		TraditionalChinese: {Right: []string{"機密"}, Wrong: []string{"敏感"}, Lines: []int{107}},
		Italian:            {Right: []string{"dati sensibili", "sensibil"}, Lines: []int{116}},
		Japanese:           {Right: []string{"機密"}, Wrong: []string{"センシティブ"}, Lines: []int{119}},
	}},
	{ID: "privileged", In: map[string]Usage{
		English:            {Right: []string{"privileged"}, Lines: []int{100}},
		TraditionalChinese: {Right: []string{"特殊權限"}, Wrong: []string{"特權"}, Lines: []int{86}},
		Italian:            {Right: []string{"con privilegi"}, Wrong: []string{"privilegiato", "privilegiata", "privilegiati", "privilegiate"}, Lines: []int{95, 288}},
		Japanese:           {Right: []string{"特権"}, Lines: []int{98}},
	}},
	{ID: "highly-privileged", In: map[string]Usage{
		English:            {Right: []string{"highly privileged"}, Lines: []int{36}},
		TraditionalChinese: {Right: []string{"高特殊權限"}, Wrong: []string{"高權限", "高度特權"}, Lines: []int{34}},
		Italian:            {Right: []string{"con privilegi elevati"}, Wrong: []string{"altamente privilegiat"}, Lines: []int{31}},
		Japanese:           {Right: []string{"高い特権"}, Wrong: []string{"高特権"}, Lines: []int{34}},
	}},
	{ID: "redirect-uri", In: map[string]Usage{
		English:            {Right: []string{"redirect URI"}, Lines: []int{228}},
		TraditionalChinese: {Right: []string{"重新導向 URI"}, Wrong: []string{"重新導向URI", "重導向 URI", "回覆 URL"}, Lines: []int{214, 224}},
		Italian:            {Right: []string{"URI di reindirizzamento"}, Wrong: []string{"URI di redirect", "URI di redirezione"}, Lines: []int{223, 233}},
		Japanese:           {Right: []string{"リダイレクト URI"}, Wrong: []string{"リダイレクトURI", "リダイレクト URL"}, Lines: []int{226, 236}},
	}},
	{ID: "appid-uri", In: map[string]Usage{
		English:            {Right: []string{"AppID URI", "app ID URI"}, Lines: []int{248}},
		TraditionalChinese: {Right: []string{"AppID URI"}, Wrong: []string{"應用程式識別碼 URI", "識別碼 URI", "應用程式 ID URI"}, Lines: []int{234}},
		Italian:            {Right: []string{"URI AppID"}, Wrong: []string{"URI dell'ID applicazione", "URI ID applicazione", "URI dell'ID app", "URI dell'identificatore", "AppID URI"}, Lines: []int{243}},
		Japanese:           {Right: []string{"AppID URI"}, Wrong: []string{"アプリケーション ID URI", "アプリケーション ID の URI", "識別子 URI", "アプリ ID URI"}, Lines: []int{246}},
	}},
	{ID: "logout-url", In: map[string]Usage{
		English:            {Right: []string{"logout URL", "log-out URL"}, Lines: []int{226}},
		TraditionalChinese: {Right: []string{"登出 URL"}, Wrong: []string{"登出網址", "註銷 URL"}, Lines: []int{48, 258}},
		Italian:            {Right: []string{"URL di disconnessione"}, Wrong: []string{"URL di disconnesso", "URL di logout", "URL di uscita"}, Lines: []int{267}},
		Japanese:           {Right: []string{"ログアウト URL"}, Wrong: []string{"サインアウト URL", "ログアウトURL"}, Lines: []int{48, 270}},
	}},
	{ID: "owner", In: map[string]Usage{
		English:            {Right: []string{"owner"}, Lines: []int{48}},
		TraditionalChinese: {Right: []string{"擁有者"}, Wrong: []string{"所有者"}, Lines: []int{46, 248}},
		Italian:            {Right: []string{"proprietario", "proprietari"}, Wrong: []string{"titolare"}, Lines: []int{43, 257}},
		Japanese:           {Right: []string{"所有者"}, Wrong: []string{"オーナー"}, Lines: []int{46, 260}},
	}},
	{ID: "sign-in", In: map[string]Usage{
		English:            {Right: []string{"sign-in"}, Lines: []int{68}},
		TraditionalChinese: {Right: []string{"登入"}, Wrong: []string{"簽入"}, Lines: []int{56}},
		Italian:            {Right: []string{"accesso", "accessi"}, Wrong: []string{"sign-in", "login"}, Lines: []int{63, 65}},
		Japanese:           {Right: []string{"サインイン"}, Wrong: []string{"ログイン", "ログオン"}, Lines: []int{66, 68}},
	}},
	{ID: "authentication-flow", In: map[string]Usage{
		English:            {Right: []string{"authentication flow"}, Lines: []int{200}},
		TraditionalChinese: {Right: []string{"驗證流程"}, Wrong: []string{"認證流程"}, Lines: []int{186}},
		Italian:            {Right: []string{"flusso di autenticazione", "flussi di autenticazione"}, Lines: []int{195}},
		Japanese:           {Right: []string{"認証フロー"}, Wrong: []string{"認証 フロー"}, Lines: []int{198}},
	}},
	{ID: "auth-code", In: map[string]Usage{
		English:            {Right: []string{"auth code", "authorization code"}, Lines: []int{202}},
		TraditionalChinese: {Right: []string{"驗證碼"}, Wrong: []string{"授權碼", "授權代碼"}, Lines: []int{188}},
		Italian:            {Right: []string{"codice di autenticazione", "codici di autenticazione"}, Wrong: []string{"codice di autorizzazione", "codici di autorizzazione"}, Lines: []int{197}},
		Japanese:           {Right: []string{"認証コード"}, Wrong: []string{"認可コード", "承認コード"}, Lines: []int{200}},
	}},
	{ID: "device-code-flow", In: map[string]Usage{
		English:            {Right: []string{"device code flow", "device code"}, Lines: []int{206}},
		TraditionalChinese: {Right: []string{"裝置程式碼流程", "裝置程式碼"}, Wrong: []string{"裝置碼", "裝置代碼"}, Lines: []int{192, 203}},
		Italian:            {Right: []string{"flusso del codice del dispositivo", "codice del dispositivo", "codici del dispositivo"}, Wrong: []string{"codice dispositivo", "device code"}, Lines: []int{201}},
		Japanese:           {Right: []string{"デバイス コード フロー", "デバイス コード"}, Wrong: []string{"デバイスコード", "デバイス コードフロー"}, Lines: []int{204, 215}},
	}},
	{ID: "ropc", In: map[string]Usage{
		English:            {Right: []string{"resource owner password credentials", "ROPC"}, Lines: []int{202}},
		TraditionalChinese: {Right: []string{"資源擁有者密碼認證", "ROPC"}, Wrong: []string{"資源擁有者密碼憑證"}, Lines: []int{188}},
		Italian:            {Right: []string{"credenziali della password del proprietario della risorsa", "ROPC"}, Wrong: []string{"credenziali password del proprietario della risorsa"}, Lines: []int{197}},
		Japanese:           {Right: []string{"リソース所有者のパスワード資格情報", "ROPC"}, Wrong: []string{"リソース オーナー"}, Lines: []int{212}},
	}},
	{ID: "key-vault", In: map[string]Usage{
		English:            {Right: []string{"Key Vault"}, Lines: []int{169}},
		TraditionalChinese: {Right: []string{"Key Vault", "金鑰保存庫"}, Wrong: []string{"金鑰庫", "金鑰保險庫", "密鑰保管庫"}, Lines: []int{155, 160}},
		Italian:            {Right: []string{"Key Vault", "insieme di credenziali delle chiavi", "insiemi di credenziali delle chiavi"}, Wrong: []string{"archivio delle chiavi", "vault delle chiavi", "cassaforte"}, Lines: []int{164, 169}},
		Japanese:           {Right: []string{"Key Vault"}, Wrong: []string{"キー コンテナー", "キーコンテナー", "コンテナー", "キー ボールト"}, Lines: []int{167, 172}},
	}},
	{ID: "access-policy", In: map[string]Usage{
		English:            {Right: []string{"access policy"}, Basis: basisKV},
		TraditionalChinese: {Right: []string{"存取原則"}, Wrong: []string{"存取策略", "存取政策"}, Basis: basisKV},
		Italian:            {Right: []string{"criteri di accesso"}, Wrong: []string{"politica di accesso", "policy di accesso"}, Basis: basisKV},
		Japanese:           {Right: []string{"アクセス ポリシー"}, Wrong: []string{"アクセスポリシー"}, Basis: basisKV},
	}},
	{ID: "managed-identity", In: map[string]Usage{
		English:            {Right: []string{"managed identity", "managed identities"}, Lines: []int{76}},
		TraditionalChinese: {Right: []string{"受控身分識別"}, Wrong: []string{"受控識別", "受管理的身分識別", "託管身分識別"}, Lines: []int{62}},
		Italian:            {Right: []string{"identità gestita", "identità gestite"}, Wrong: []string{"managed identity"}, Lines: []int{71}},
		Japanese:           {Right: []string{"マネージド ID"}, Wrong: []string{"マネージドID", "マネージド アイデンティティ", "管理対象 ID"}, Lines: []int{74}},
	}},
	{ID: "conditional-access", In: map[string]Usage{
		English:            {Right: []string{"Conditional Access"}, Lines: []int{70, 206}},
		TraditionalChinese: {Right: []string{"條件式存取"}, Wrong: []string{"條件存取", "條件式訪問"}, Lines: []int{56, 192}},
		Italian:            {Right: []string{"accesso condizionale"}, Wrong: []string{"Conditional Access"}, Lines: []int{65, 201}},
		Japanese:           {Right: []string{"条件付きアクセス"}, Wrong: []string{"条件付き アクセス", "コンディショナル アクセス"}, Lines: []int{68, 204}},
	}},
	{ID: "mfa", In: map[string]Usage{
		English:            {Right: []string{"multifactor authentication"}, Basis: basisPortal},
		TraditionalChinese: {Right: []string{"多重要素驗證"}, Wrong: []string{"多因素驗證", "多重因素驗證", "多因子驗證"}, Basis: basisPortal},
		Italian:            {Right: []string{"autenticazione a più fattori"}, Wrong: []string{"autenticazione multifattore", "autenticazione multi-fattore"}, Basis: basisPortal},
		Japanese:           {Right: []string{"多要素認証"}, Wrong: []string{"多要素 認証", "多段階認証"}, Basis: basisPortal},
	}},
	{ID: "business-hours", In: map[string]Usage{
		English:            {Right: []string{"business hours"}, Lines: []int{87}},
		TraditionalChinese: {Right: []string{"正常上班時間"}, Wrong: []string{"營業時間", "非上班時間", "上班時間", "辦公時間", "工作時間"}, Lines: []int{73}},
		Italian:            {Right: []string{"ore lavorative"}, Wrong: []string{"orario lavorativo", "orario di lavoro", "fuori orario", "orario d'ufficio", "orari d'ufficio"}, Lines: []int{82}},
		Japanese:           {Right: []string{"営業時間"}, Wrong: []string{"業務時間", "勤務時間", "就業時間"}, Lines: []int{85}},
	}},
	{ID: "change-management", In: map[string]Usage{
		English:            {Right: []string{"change management"}, Lines: []int{109}},
		TraditionalChinese: {Right: []string{"變更管理"}, Wrong: []string{"變更控制"}, Lines: []int{95}},
		Italian:            {Right: []string{"gestione delle modifiche"}, Wrong: []string{"controllo delle modifiche", "gestione dei cambiamenti"}, Lines: []int{104}},
		Japanese:           {Right: []string{"変更管理"}, Wrong: []string{"変更制御"}, Lines: []int{107}},
	}},
	{ID: "change-window", In: map[string]Usage{
		English:            {Right: []string{"change window"}, Basis: basisWindow},
		TraditionalChinese: {Right: []string{"變更時段"}, Wrong: []string{"變更視窗", "變更窗口"}, Basis: basisWindow},
		Italian:            {Right: []string{"finestra di modifica", "finestre di modifica"}, Wrong: []string{"finestra di cambiamento", "change window"}, Basis: basisWindow},
		Japanese:           {Right: []string{"変更期間"}, Wrong: []string{"変更ウィンドウ", "変更時間帯"}, Basis: basisWindow},
	}},
	{ID: "eligible-assignment", In: map[string]Usage{
		English:            {Right: []string{"eligible"}, Lines: []int{106}},
		TraditionalChinese: {Right: []string{"符合資格"}, Wrong: []string{"合格", "有資格的指派"}, Lines: []int{92}},
		Italian:            {Right: []string{"idoneo", "idonea", "idonei", "idonee"}, Wrong: []string{"eleggibile", "eleggibili"}, Lines: []int{101}},
		Japanese:           {Right: []string{"適格"}, Wrong: []string{"対象ユーザーとしての割り当て", "資格のある割り当て"}, Lines: []int{104}},
	}},
	{ID: "active-assignment", In: map[string]Usage{
		English:            {Right: []string{"active"}, Basis: basisPIM},
		TraditionalChinese: {Right: []string{"作用中"}, Wrong: []string{"啟用中的指派", "使用中的指派"}, Basis: basisPIM},
		Italian:            {Right: []string{"attivo", "attiva", "attivi", "attive"}, Basis: basisPIM},
		Japanese:           {Right: []string{"アクティブ"}, Wrong: []string{"有効な割り当て"}, Basis: basisPIM},
	}},
	{ID: "pim", In: map[string]Usage{
		English:            {Right: []string{"Privileged Identity Management", "PIM"}, Lines: []int{295}},
		TraditionalChinese: {Right: []string{"Privileged Identity Management", "PIM"}, Wrong: []string{"特殊權限身分識別管理"}, Lines: []int{281}},
		Italian:            {Right: []string{"Privileged Identity Management", "PIM"}, Wrong: []string{"gestione delle identità con privilegi"}, Lines: []int{290}},
		Japanese:           {Right: []string{"Privileged Identity Management", "PIM"}, Wrong: []string{"特権 ID 管理"}, Lines: []int{293}},
	}},
	{ID: "global-administrator", In: map[string]Usage{
		English:            {Right: []string{"Global Administrator"}, Basis: basisRoles},
		TraditionalChinese: {Right: []string{"全域管理員"}, Wrong: []string{"全域系統管理員", "全局管理員"}, Basis: basisRoles},
		Italian:            {Right: []string{"Amministratore globale"}, Wrong: []string{"Amministrazione istrator", "Global Administrator"}, Lines: []int{131}},
		Japanese:           {Right: []string{"グローバル管理者"}, Wrong: []string{"全体管理者", "グローバル アドミニストレーター"}, Basis: basisRoles},
	}},
	{ID: "privileged-role-administrator", In: map[string]Usage{
		English:            {Right: []string{"Privileged Role Administrator"}, Basis: basisRoles},
		TraditionalChinese: {Right: []string{"特殊權限角色管理員"}, Wrong: []string{"特權角色管理員"}, Basis: basisRoles},
		Italian:            {Right: []string{"Amministratore ruolo con privilegi"}, Wrong: []string{"Amministratore dei ruoli privilegiati"}, Basis: basisRoles},
		Japanese:           {Right: []string{"特権ロール管理者"}, Wrong: []string{"特権ロールの管理者"}, Basis: basisRoles},
	}},
	{ID: "user-administrator", In: map[string]Usage{
		English:            {Right: []string{"User Administrator"}, Lines: []int{100}},
		TraditionalChinese: {Right: []string{"使用者系統管理員"}, Wrong: []string{"用戶管理員"}, Lines: []int{86}},
		Italian:            {Right: []string{"Amministratore utenti"}, Wrong: []string{"Amministratore degli utenti"}, Basis: basisRoles},
		Japanese:           {Right: []string{"ユーザー管理者"}, Wrong: []string{"ユーザーの管理者"}, Lines: []int{98}},
	}},
	{ID: "azure-owner-contributor", In: map[string]Usage{
		English:            {Right: []string{"Owner", "Contributor", "User Access Administrator"}, Basis: basisAzure},
		TraditionalChinese: {Right: []string{"擁有者", "參與者", "使用者存取系統管理員"}, Wrong: []string{"貢獻者", "使用者存取管理員"}, Basis: basisAzure},
		Italian:            {Right: []string{"Proprietario", "Collaboratore", "Amministratore accesso utenti"}, Wrong: []string{"Contributore", "Amministratore dell'accesso utenti"}, Basis: basisAzure},
		Japanese:           {Right: []string{"所有者", "共同作成者", "ユーザー アクセス管理者"}, Wrong: []string{"コントリビューター", "投稿者"}, Basis: basisAzure},
	}},
	{ID: "risk-level", In: map[string]Usage{
		English:            {Right: []string{"risk level"}, Lines: []int{82}},
		TraditionalChinese: {Right: []string{"風險層級"}, Wrong: []string{"風險等級", "風險級別"}, Lines: []int{68}},
		Italian:            {Right: []string{"livello di rischio"}, Wrong: []string{"grado di rischio"}, Lines: []int{77}},
		Japanese:           {Right: []string{"リスク レベル"}, Wrong: []string{"リスクレベル", "危険度"}, Lines: []int{80}},
	}},
	{ID: "audit-log", In: map[string]Usage{
		English:            {Right: []string{"audit log"}, Lines: []int{56}},
		TraditionalChinese: {Right: []string{"稽核記錄"}, Wrong: []string{"審核記錄", "稽核日誌", "審計記錄"}, Lines: []int{54, 62}},
		Italian:            {Right: []string{"log di controllo"}, Wrong: []string{"log di audit", "registro di controllo"}, Lines: []int{51, 71}},
		Japanese:           {Right: []string{"監査ログ"}, Wrong: []string{"監査記録"}, Lines: []int{54, 74}},
	}},
	{ID: "sign-in-log", In: map[string]Usage{
		English:            {Right: []string{"sign-in log"}, Lines: []int{211}},
		TraditionalChinese: {Right: []string{"登入記錄"}, Wrong: []string{"登入日誌"}, Lines: []int{197}},
		Italian:            {Right: []string{"log di accesso"}, Wrong: []string{"log degli accessi", "log di sign-in"}, Lines: []int{206}},
		Japanese:           {Right: []string{"サインイン ログ"}, Wrong: []string{"サインインログ"}, Lines: []int{209}},
	}},
	{ID: "tenant", In: map[string]Usage{
		English:            {Right: []string{"tenant"}, Lines: []int{171}},
		TraditionalChinese: {Right: []string{"租用戶"}, Wrong: []string{"租戶", "承租人"}, Lines: []int{157}},
		Italian:            {Right: []string{"tenant"}, Lines: []int{166}},
		Japanese:           {Right: []string{"テナント"}, Lines: []int{169}},
	}},
	{ID: "actor", In: map[string]Usage{
		English:            {Right: []string{"actor"}, Lines: []int{14, 76}},
		TraditionalChinese: {Right: []string{"執行者"}, Wrong: []string{"行為者"}, Lines: []int{12, 62}},
		Italian:            {Right: []string{"attore", "attori"}, Lines: []int{9, 71}},
		Japanese:           {Right: []string{"アクター"}, Wrong: []string{"実行者"}, Lines: []int{12, 74}},
	}},
	{ID: "microsoft-entra-id", In: map[string]Usage{
		English:            {Right: []string{"Microsoft Entra ID", "Azure AD Graph"}, Lines: []int{18}},
		TraditionalChinese: {Right: []string{"Microsoft Entra ID", "Azure AD Graph"}, Wrong: []string{"Azure AD", "Azure Active Directory"}, Lines: []int{16}},
		Italian:            {Right: []string{"Microsoft Entra ID", "Azure AD Graph"}, Wrong: []string{"Azure AD", "Azure Active Directory"}, Lines: []int{13}},
		Japanese:           {Right: []string{"Microsoft Entra ID", "Azure AD Graph"}, Wrong: []string{"Azure AD", "Azure Active Directory"}, Lines: []int{16}},
	}},
	{ID: "register", In: map[string]Usage{
		TraditionalChinese: {Wrong: []string{"你"}, Basis: "Microsoft addresses the reader as 您"},
		Italian:            {Wrong: []string{"voi", "vostro", "vostra", "vostri", "vostre"}, Basis: "the guide does not address the reader as voi: write an infinitive or an impersonal form"},
	}},
}
