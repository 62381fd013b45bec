package posture

import "github.com/appwatch/appwatch/internal/alert"

// Texts of the checks no other posture tool makes: federated credentials,
// shared certificates, permissions granted outside the app's request, and
// legacy flows on privileged apps.

var textFICIssuer = map[string]alert.Text{
	"en": {
		Title:       "Federated credential trusts an unexpected issuer",
		Description: "A federated identity credential lets tokens from an issuer outside the trusted list (another Microsoft Entra tenant, a self-hosted identity provider, or a URL that is not HTTPS) stand for this app. Whoever controls that issuer can mint tokens that sign in as the app, with no secret to steal.",
		Remediation: "Confirm the issuer belongs to a system the organisation runs or trusts; otherwise delete the federated credential. Add issuers you do trust with --trusted-issuer.",
	},
	"zh-TW": {
		Title:       "同盟認證信任了非預期的簽發者",
		Description: "某個同盟身分識別認證讓來自受信任清單以外簽發者（其他 Microsoft Entra 租用戶、自行架設的識別提供者，或非 HTTPS 的 URL）的權杖代表此應用程式。控制該簽發者的人可以簽發以此應用程式身分登入的權杖，根本不需竊取任何祕密。",
		Remediation: "確認簽發者屬於組織所經營或信任的系統；否則刪除此同盟認證。使用 --trusted-issuer 加入您確實信任的簽發者。",
	},
	"it": {
		Title:       "Credenziale federata che si fida di un emittente inatteso",
		Description: "Una credenziale di identità federata permette ai token di un emittente fuori dall'elenco attendibile (un altro tenant di Microsoft Entra, un provider di identità gestito in proprio o un URL non HTTPS) di valere per questa app. Chi controlla quell'emittente può generare token che accedono come l'app, senza alcun segreto da rubare.",
		Remediation: "Verificare che l'emittente appartenga a un sistema che l'organizzazione gestisce o di cui si fida; altrimenti eliminare la credenziale federata. Aggiungere gli emittenti attendibili con --trusted-issuer.",
	},
	"ja": {
		Title:       "フェデレーション資格情報が想定外の発行者を信頼している",
		Description: "フェデレーション ID 資格情報により、信頼済み一覧にない発行者 (別の Microsoft Entra テナント、自前の ID プロバイダー、HTTPS ではない URL) のトークンがこのアプリとして扱われます。その発行者を制御する者は、盗むシークレットがなくても、アプリとしてサインインするトークンを発行できます。",
		Remediation: "発行者が組織で運用または信頼しているシステムのものか確認し、そうでなければフェデレーション資格情報を削除してください。信頼する発行者は --trusted-issuer で追加してください。",
	},
}

var textFICWildcard = map[string]alert.Text{
	"en": {
		Title:       "Federated credential matches more than one subject",
		Description: "A federated identity credential uses a claims-matching expression (a flexible federated credential) or a subject with a wildcard, so tokens for many workloads, such as every branch or every repository that matches, sign in as this app. One compromised pipeline among them is enough.",
		Remediation: "Replace the expression with exact subjects, one federated credential per workload (branch, environment or service account) that needs the app.",
	},
	"zh-TW": {
		Title:       "符合多個主體的同盟認證",
		Description: "某個同盟身分識別認證使用宣告比對運算式（彈性同盟認證）或含萬用字元的主體，因此許多工作負載（例如所有符合的分支或儲存機制）的權杖都能以此應用程式身分登入。其中只要有一條管線遭入侵就足夠了。",
		Remediation: "以精確的主體取代運算式，為每個需要此應用程式的工作負載（分支、環境或服務帳戶）各建立一個同盟認證。",
	},
	"it": {
		Title:       "Credenziale federata che corrisponde a più soggetti",
		Description: "Una credenziale di identità federata usa un'espressione di corrispondenza delle attestazioni (credenziale federata flessibile) o un soggetto con carattere jolly, quindi i token di molti carichi di lavoro, come ogni ramo o ogni repository corrispondente, accedono come questa app. Basta una pipeline compromessa fra queste.",
		Remediation: "Sostituire l'espressione con soggetti esatti, una credenziale federata per ogni carico di lavoro (ramo, ambiente o account di servizio) che ha bisogno dell'app.",
	},
	"ja": {
		Title:       "複数のサブジェクトに一致するフェデレーション資格情報",
		Description: "フェデレーション ID 資格情報が要求照合式 (柔軟なフェデレーション資格情報) またはワイルドカードを含むサブジェクトを使っているため、一致するすべてのブランチやリポジトリなど、多数のワークロードのトークンがこのアプリとしてサインインできます。その中の 1 つのパイプラインが侵害されれば十分です。",
		Remediation: "式を正確なサブジェクトに置き換え、アプリを必要とするワークロード (ブランチ、環境、サービス アカウント) ごとにフェデレーション資格情報を 1 つずつ作成してください。",
	},
}

var textSecretBesideFIC = map[string]alert.Text{
	"en": {
		Title:       "Secret kept beside a federated credential",
		Description: "The app signs in with a federated identity credential, yet it still holds a current client secret or certificate. The federated credential removed the need for a stored secret; the one left behind is the easiest way in and is often forgotten.",
		Remediation: "Confirm every workload of the app uses the federated credential, then remove the remaining secrets and certificates.",
	},
	"zh-TW": {
		Title:       "與同盟認證並存的祕密",
		Description: "此應用程式以同盟身分識別認證登入，卻仍持有有效的用戶端祕密或憑證。同盟認證已不需要儲存祕密；遺留下來的祕密是最容易的入口，也常被遺忘。",
		Remediation: "確認應用程式的每個工作負載都使用同盟認證，然後移除剩餘的祕密與憑證。",
	},
	"it": {
		Title:       "Segreto conservato accanto a una credenziale federata",
		Description: "L'app accede con una credenziale di identità federata, ma ha ancora un segreto client o un certificato valido. La credenziale federata ha eliminato la necessità di un segreto archiviato; quello rimasto è la via d'accesso più facile ed è spesso dimenticato.",
		Remediation: "Verificare che ogni carico di lavoro dell'app usi la credenziale federata, poi rimuovere i segreti e i certificati rimasti.",
	},
	"ja": {
		Title:       "フェデレーション資格情報と並んで残るシークレット",
		Description: "このアプリはフェデレーション ID 資格情報でサインインしているのに、有効なクライアント シークレットや証明書をまだ持っています。フェデレーション資格情報によって保存されたシークレットは不要になったはずで、残されたものは最も入りやすい入口であり、忘れられがちです。",
		Remediation: "アプリのすべてのワークロードがフェデレーション資格情報を使っていることを確認してから、残りのシークレットと証明書を削除してください。",
	},
}

var textCertReused = map[string]alert.Text{
	"en": {
		Title:       "Same certificate on several apps",
		Description: "A current certificate with the same thumbprint authenticates several applications. Its private key is therefore stored wherever any of them runs, and whoever takes it signs in as all of them; rotating it for one app leaves the others exposed.",
		Remediation: "Give each application its own certificate (or managed identity), and remove the shared one from every app once each has its replacement.",
	},
	"zh-TW": {
		Title:       "多個應用程式使用同一個憑證",
		Description: "相同指紋的有效憑證用於驗證多個應用程式。因此其私密金鑰存放在任何一個應用程式執行的地方，取得它的人就能以所有這些應用程式的身分登入；只為其中一個應用程式輪替，其他應用程式仍然暴露在風險中。",
		Remediation: "為每個應用程式提供各自的憑證（或受控身分識別），並在各自有替代憑證後，從所有應用程式移除共用的憑證。",
	},
	"it": {
		Title:       "Lo stesso certificato su più app",
		Description: "Un certificato valido con la stessa identificazione personale autentica più applicazioni. La sua chiave privata è quindi conservata ovunque giri una di esse, e chi se ne impadronisce accede come tutte; ruotarlo per un'app lascia esposte le altre.",
		Remediation: "Dare a ogni applicazione un proprio certificato (o un'identità gestita) e rimuovere quello condiviso da tutte le app una volta che ciascuna ha il sostituto.",
	},
	"ja": {
		Title:       "複数のアプリで同じ証明書を使用",
		Description: "同じ拇印を持つ有効な証明書が複数のアプリケーションの認証に使われています。そのため秘密キーはどれかのアプリが動く場所すべてに保存されており、それを手に入れた者はすべてのアプリとしてサインインできます。1 つのアプリでローテーションしても、他のアプリは危険にさらされたままです。",
		Remediation: "アプリケーションごとに個別の証明書 (またはマネージド ID) を用意し、それぞれに代替が用意できたら、共有している証明書をすべてのアプリから削除してください。",
	},
}

var textOutOfBand = map[string]alert.Text{
	"en": {
		Title:       "Permission granted that the app does not request",
		Description: "The service principal of one of the tenant's apps holds application permissions or delegated scopes that its app registration does not list in its required permissions. They were granted outside the consent the app asks for, by a direct API call or by hand, which is also how attackers give an app they control more reach.",
		Remediation: "Find who granted the permission in the audit log. If the app needs it, add it to the app's requested permissions and consent again through the normal process; otherwise remove it.",
	},
	"zh-TW": {
		Title:       "授與了應用程式未要求的權限",
		Description: "租用戶某個應用程式的服務主體，持有其應用程式註冊未列在必要權限中的應用程式權限或委派範圍。這些權限是在應用程式所要求的同意之外，透過直接呼叫 API 或手動授與的，而攻擊者也正是這樣替他們控制的應用程式擴大影響範圍。",
		Remediation: "從稽核記錄找出授與權限的人。若應用程式確實需要，請將它加入應用程式要求的權限，並透過正常流程重新同意；否則請移除。",
	},
	"it": {
		Title:       "Autorizzazione concessa che l'app non richiede",
		Description: "L'entità servizio di una delle app del tenant ha autorizzazioni dell'applicazione o ambiti delegati che la sua registrazione non elenca tra le autorizzazioni richieste. Sono stati concessi al di fuori del consenso che l'app chiede, con una chiamata diretta all'API o a mano, che è anche il modo in cui un attaccante amplia la portata di un'app che controlla.",
		Remediation: "Individuare nel log di controllo chi ha concesso l'autorizzazione. Se l'app ne ha bisogno, aggiungerla alle autorizzazioni richieste dall'app e ripetere il consenso con il processo normale; altrimenti rimuoverla.",
	},
	"ja": {
		Title:       "アプリが要求していないアクセス許可の付与",
		Description: "テナントのアプリのサービス プリンシパルが、アプリケーションの登録の必要なアクセス許可に含まれていないアプリケーションのアクセス許可や委任されたスコープを持っています。アプリが求める同意の外で、API の直接呼び出しや手作業で付与されたもので、攻撃者が自分の制御するアプリの権限を広げるときの手口でもあります。",
		Remediation: "監査ログでだれがアクセス許可を付与したかを確認してください。アプリに必要であれば、アプリが要求するアクセス許可に追加して通常の手続きで同意し直し、不要であれば削除してください。",
	},
}

var textPublicClient = map[string]alert.Text{
	"en": {
		Title:       "Public client flows enabled on a privileged app",
		Description: "The app allows public client flows (isFallbackPublicClient), which include resource owner password credentials and device code sign-in, while it holds privileged permissions or roles, or privileged delegated permissions for all users. A password sprayed through ROPC, or a device code phished from a user, then yields tokens for this app.",
		Remediation: "Turn off \"Allow public client flows\" unless a native client truly needs it; if one does, use a separate public client app with narrow delegated permissions, and block ROPC and device code with Conditional Access.",
	},
	"zh-TW": {
		Title:       "特殊權限應用程式啟用了公用用戶端流程",
		Description: "此應用程式允許公用用戶端流程（isFallbackPublicClient），包括資源擁有者密碼認證與裝置程式碼登入，同時又持有特殊權限的權限或角色，或代表所有使用者的特殊權限委派權限。透過 ROPC 噴灑的密碼或向使用者騙取的裝置程式碼，都能換得此應用程式的權杖。",
		Remediation: "除非原生用戶端確實需要，否則請關閉「允許公用用戶端流程」；若確有需要，請改用只具備有限委派權限的獨立公用用戶端應用程式，並以條件式存取封鎖 ROPC 與裝置程式碼。",
	},
	"it": {
		Title:       "Flussi client pubblici attivi su un'app con privilegi",
		Description: "L'app consente i flussi client pubblici (isFallbackPublicClient), che comprendono le credenziali della password del proprietario della risorsa e l'accesso con codice del dispositivo, mentre ha autorizzazioni o ruoli con privilegi, o autorizzazioni delegate con privilegi per tutti gli utenti. Una password provata in massa tramite ROPC, o un codice del dispositivo carpito a un utente, fruttano allora token per questa app.",
		Remediation: "Disattivare \"Consenti flussi client pubblici\" a meno che un client nativo ne abbia davvero bisogno; in tal caso usare un'app client pubblica separata con autorizzazioni delegate ristrette e bloccare ROPC e codice del dispositivo con l'accesso condizionale.",
	},
	"ja": {
		Title:       "特権アプリでパブリック クライアント フローが有効",
		Description: "このアプリはパブリック クライアント フロー (isFallbackPublicClient) を許可しており、これにはリソース所有者パスワード資格情報とデバイス コードによるサインインが含まれます。同時に特権のアクセス許可やロール、または全ユーザー対象の特権の委任されたアクセス許可を持っています。ROPC によるパスワード スプレーや、ユーザーからフィッシングしたデバイス コードで、このアプリのトークンが得られます。",
		Remediation: "ネイティブ クライアントが本当に必要としない限り [パブリック クライアント フローを許可する] をオフにしてください。必要な場合は、委任されたアクセス許可を絞った別のパブリック クライアント アプリを使い、条件付きアクセスで ROPC とデバイス コードをブロックしてください。",
	},
}

var textImplicitFlow = map[string]alert.Text{
	"en": {
		Title:       "Implicit grant enabled on a privileged app",
		Description: "The app lets the authorization endpoint return tokens directly in the redirect (implicit grant), while it holds privileged permissions or roles, or privileged delegated permissions for all users. Tokens in a URL fragment end up in browser history, logs and any page the redirect reaches.",
		Remediation: "Move browser clients to the authorization code flow with PKCE and turn off access token (and ID token) issuance for the implicit grant.",
	},
	"zh-TW": {
		Title:       "特殊權限應用程式啟用了隱含授與",
		Description: "此應用程式讓授權端點直接在重新導向中傳回權杖（隱含授與），同時又持有特殊權限的權限或角色，或代表所有使用者的特殊權限委派權限。URL 片段中的權杖會留在瀏覽器記錄、記錄檔以及重新導向所到達的任何頁面中。",
		Remediation: "將瀏覽器用戶端改為使用搭配 PKCE 的驗證碼流程，並關閉隱含授與的存取權杖（及識別碼權杖）發行。",
	},
	"it": {
		Title:       "Concessione implicita attiva su un'app con privilegi",
		Description: "L'app consente all'endpoint di autorizzazione di restituire i token direttamente nel reindirizzamento (concessione implicita), mentre ha autorizzazioni o ruoli con privilegi, o autorizzazioni delegate con privilegi per tutti gli utenti. I token nel frammento di un URL finiscono nella cronologia del browser, nei log e in qualsiasi pagina raggiunta dal reindirizzamento.",
		Remediation: "Portare i client browser al flusso con codice di autenticazione e PKCE e disattivare l'emissione di token di accesso (e di token ID) per la concessione implicita.",
	},
	"ja": {
		Title:       "特権アプリで暗黙的な許可が有効",
		Description: "このアプリは、承認エンドポイントがリダイレクトで直接トークンを返すこと (暗黙的な許可) を許可しており、同時に特権のアクセス許可やロール、または全ユーザー対象の特権の委任されたアクセス許可を持っています。URL フラグメント内のトークンは、ブラウザーの履歴、ログ、リダイレクト先のページに残ります。",
		Remediation: "ブラウザー クライアントを PKCE 付きの認証コード フローに移行し、暗黙的な許可によるアクセス トークン (および ID トークン) の発行をオフにしてください。",
	},
}
