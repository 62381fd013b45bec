package posture

import "github.com/appwatch/appwatch/internal/alert"

// The texts of each check in English, Traditional Chinese, Italian and
// Japanese. They are read only; Checks hands out copies.

var textLifetime = map[string]alert.Text{
	"en": {
		Title:       "App credential valid for longer than the policy allows",
		Description: "A client secret or certificate on this application or service principal was issued with a validity period (end date minus start date) above the tenant's limit. The longer a credential stays valid, the longer a leaked copy can be used to sign in as the app.",
		Remediation: "Replace the credential with one whose lifetime is within the policy, move the workload to a certificate or a managed identity where possible, and delete the long-lived credential once nothing uses it.",
	},
	"zh-TW": {
		Title:       "應用程式認證的存留期超過原則上限",
		Description: "此應用程式或服務主體上的用戶端祕密或憑證，其存留期（結束日期減去開始日期）超過租用戶設定的上限。認證的存留期越長，外洩的副本就能被用來以該應用程式身分登入越久。",
		Remediation: "改用存留期在原則範圍內的認證；可行時將工作負載改為使用憑證或受控身分識別，並在確認沒有任何服務使用後刪除存留期過長的認證。",
	},
	"it": {
		Title:       "Credenziale dell'app valida più a lungo di quanto consentito dai criteri",
		Description: "Un segreto client o un certificato di questa applicazione o entità servizio è stato emesso con una durata (data di fine meno data di inizio) superiore al limite del tenant. Più a lungo resta valida una credenziale, più a lungo una sua copia trafugata permette di accedere come l'app.",
		Remediation: "Sostituire la credenziale con una la cui durata rientri nei criteri, passare dove possibile a un certificato o a un'identità gestita ed eliminare la credenziale di lunga durata quando nulla la usa più.",
	},
	"ja": {
		Title:       "ポリシーの上限より長く有効なアプリの資格情報",
		Description: "このアプリケーションまたはサービス プリンシパルのクライアント シークレットまたは証明書の有効期間 (終了日から開始日を引いた期間) が、テナントの上限を超えています。有効期間が長いほど、漏えいした資格情報でアプリとしてサインインできる期間も長くなります。",
		Remediation: "有効期間がポリシーの範囲内の資格情報に置き換え、可能であれば証明書またはマネージド ID に移行し、使われなくなった長期間有効な資格情報を削除してください。",
	},
}

var textExpired = map[string]alert.Text{
	"en": {
		Title:       "Expired credential left on an app",
		Description: "A secret or certificate whose end date has passed is still listed on the application or service principal. It can no longer be used to sign in, but it clutters reviews, hides which credential is really in use, and may mean a rotation was left unfinished.",
		Remediation: "Confirm the workload runs on a current credential, then remove the expired one.",
	},
	"zh-TW": {
		Title:       "應用程式上留有已過期的認證",
		Description: "結束日期已過的祕密或憑證仍列在應用程式或服務主體上。它已無法用來登入，但會讓審查更困難、難以看出實際使用的是哪一個認證，也可能表示輪替工作沒有完成。",
		Remediation: "確認工作負載使用的是有效的認證，然後移除已過期的認證。",
	},
	"it": {
		Title:       "Credenziale scaduta rimasta su un'app",
		Description: "Un segreto o un certificato la cui data di fine è passata è ancora presente sull'applicazione o sull'entità servizio. Non permette più di accedere, ma rende le revisioni più confuse, nasconde quale credenziale sia davvero in uso e può indicare una rotazione lasciata a metà.",
		Remediation: "Verificare che il carico di lavoro usi una credenziale valida, poi rimuovere quella scaduta.",
	},
	"ja": {
		Title:       "アプリに残っている期限切れの資格情報",
		Description: "終了日を過ぎたシークレットまたは証明書が、アプリケーションまたはサービス プリンシパルに残っています。サインインには使えませんが、レビューを煩雑にし、実際に使われている資格情報を分かりにくくします。ローテーション作業が途中で終わっている可能性もあります。",
		Remediation: "ワークロードが有効な資格情報で動作していることを確認してから、期限切れの資格情報を削除してください。",
	},
}

var textExpiring = map[string]alert.Text{
	"en": {
		Title:       "App credential expires soon",
		Description: "A secret or certificate on the application or service principal reaches its end date within the warning period. When it lapses, sign-ins that depend on it fail, and rushed renewals are when long-lived secrets tend to be added.",
		Remediation: "Plan the rotation now: add the replacement credential within the policy's lifetime, switch the workload over, then remove the old one.",
	},
	"zh-TW": {
		Title:       "應用程式認證即將到期",
		Description: "應用程式或服務主體上的祕密或憑證將在警告期間內到期。到期後，依賴它的登入會失敗；倉促更新時也常會加入存留期過長的祕密。",
		Remediation: "現在就規劃輪替：新增存留期符合原則的替代認證，將工作負載切換過去，再移除舊的認證。",
	},
	"it": {
		Title:       "Credenziale dell'app in scadenza",
		Description: "Un segreto o un certificato dell'applicazione o dell'entità servizio raggiunge la data di fine entro il periodo di preavviso. Alla scadenza gli accessi che ne dipendono falliscono, ed è nei rinnovi affrettati che si aggiungono spesso segreti di lunga durata.",
		Remediation: "Pianificare subito la rotazione: aggiungere la nuova credenziale con una durata conforme ai criteri, spostarvi il carico di lavoro e poi rimuovere quella vecchia.",
	},
	"ja": {
		Title:       "まもなく期限切れになるアプリの資格情報",
		Description: "アプリケーションまたはサービス プリンシパルのシークレットまたは証明書が、警告期間内に終了日を迎えます。期限が切れると、それに依存するサインインが失敗します。また、急いで更新する際に長期間有効なシークレットが追加されがちです。",
		Remediation: "今のうちにローテーションを計画してください。ポリシーの有効期間内の新しい資格情報を追加し、ワークロードを切り替えてから古い資格情報を削除します。",
	},
}

var textSecret = map[string]alert.Text{
	"en": {
		Title:       "Client secret where a certificate is expected",
		Description: "The app authenticates with a client secret although it already has a certificate, or although it holds highly privileged permissions or roles. A secret is a shared string that is easily copied into code, pipelines or tickets; a certificate's private key can stay on the machine that uses it.",
		Remediation: "Move the workload to its certificate (or to a managed identity or a federated credential) and remove the client secret.",
	},
	"zh-TW": {
		Title:       "應使用憑證之處卻使用了用戶端祕密",
		Description: "此應用程式已有憑證，或持有高特殊權限的權限或角色，卻仍以用戶端祕密進行驗證。祕密是共用字串，很容易被複製到程式碼、管線或工單中；憑證的私密金鑰則可以只留在使用它的機器上。",
		Remediation: "將工作負載改為使用憑證（或受控身分識別、同盟認證），並移除用戶端祕密。",
	},
	"it": {
		Title:       "Segreto client dove è previsto un certificato",
		Description: "L'app si autentica con un segreto client pur avendo già un certificato, oppure pur avendo autorizzazioni o ruoli con privilegi elevati. Un segreto è una stringa condivisa che finisce facilmente in codice, pipeline o ticket; la chiave privata di un certificato può restare sulla macchina che la usa.",
		Remediation: "Spostare il carico di lavoro sul certificato (o su un'identità gestita o una credenziale federata) e rimuovere il segreto client.",
	},
	"ja": {
		Title:       "証明書を使うべきところでクライアント シークレットを使用",
		Description: "このアプリは、すでに証明書を持っている、または高い特権のアクセス許可やロールを持っているにもかかわらず、クライアント シークレットで認証しています。シークレットは共有文字列であり、コード、パイプライン、チケットに簡単にコピーされます。証明書の秘密キーは、使用するマシン上だけに置いておけます。",
		Remediation: "ワークロードを証明書 (またはマネージド ID、フェデレーション資格情報) に移行し、クライアント シークレットを削除してください。",
	},
}

var textSPCredential = map[string]alert.Text{
	"en": {
		Title:       "Credential placed directly on a service principal",
		Description: "A secret or certificate sits on the service principal (enterprise app) rather than on its app registration. Such credentials do not show on the app registration's Certificates & secrets page, so they are easily missed, and they are a common way to keep access to an app unnoticed.",
		Remediation: "Check who added the credential and why. If the app needs one, put it on the app registration under change control; otherwise remove it from the service principal.",
	},
	"zh-TW": {
		Title:       "認證直接放在服務主體上",
		Description: "祕密或憑證位於服務主體（企業應用程式）上，而非其應用程式註冊上。這類認證不會出現在應用程式註冊的「憑證與祕密」頁面，容易被忽略，也是暗中保有應用程式存取權的常見手法。",
		Remediation: "查明是誰、為何新增此認證。若應用程式確實需要，請在變更管理下將其放到應用程式註冊上；否則請從服務主體移除。",
	},
	"it": {
		Title:       "Credenziale posta direttamente su un'entità servizio",
		Description: "Un segreto o un certificato si trova sull'entità servizio (applicazione aziendale) invece che sulla sua registrazione dell'applicazione. Queste credenziali non compaiono nella pagina Certificati e segreti della registrazione, quindi sfuggono facilmente, e sono un modo comune per conservare di nascosto l'accesso a un'app.",
		Remediation: "Verificare chi ha aggiunto la credenziale e perché. Se l'app ne ha bisogno, metterla sulla registrazione dell'applicazione nell'ambito della gestione delle modifiche; altrimenti rimuoverla dall'entità servizio.",
	},
	"ja": {
		Title:       "サービス プリンシパルに直接設定された資格情報",
		Description: "シークレットまたは証明書が、アプリケーションの登録ではなくサービス プリンシパル (エンタープライズ アプリケーション) に設定されています。このような資格情報はアプリケーションの登録の [証明書とシークレット] ページに表示されないため見落とされやすく、アプリへのアクセスを気付かれずに維持する手口としてよく使われます。",
		Remediation: "だれが何のために資格情報を追加したかを確認してください。アプリに必要であれば変更管理のもとでアプリケーションの登録に設定し、不要であればサービス プリンシパルから削除してください。",
	},
}

var textExternalSPCredential = map[string]alert.Text{
	"en": {
		Title:       "Credential on the service principal of a Microsoft or other-tenant app",
		Description: "A secret or certificate was added to the local service principal of an application registered elsewhere: a Microsoft first-party app or a multi-tenant app from another organisation. Neither needs a credential added in your tenant, and an added one lets whoever holds it act as that app here, with every permission the app was granted.",
		Remediation: "Treat this as a likely compromise: find who added the credential in the audit logs, remove it, and review what the service principal did while it was present.",
	},
	"zh-TW": {
		Title:       "Microsoft 或其他租用戶應用程式的服務主體上有認證",
		Description: "在其他地方註冊的應用程式（Microsoft 第一方應用程式或其他組織的多租用戶應用程式）在本租用戶中的服務主體被加入了祕密或憑證。這兩類應用程式都不需要在您的租用戶中新增認證；一旦加入，持有者就能在此以該應用程式的身分及其所有已授與的權限行事。",
		Remediation: "請視為可能已遭入侵：從稽核記錄找出新增認證的人、移除該認證，並檢查服務主體在認證存在期間做過什麼。",
	},
	"it": {
		Title:       "Credenziale sull'entità servizio di un'app Microsoft o di un altro tenant",
		Description: "Un segreto o un certificato è stato aggiunto all'entità servizio locale di un'applicazione registrata altrove: un'app proprietaria di Microsoft o un'app multi-tenant di un'altra organizzazione. Nessuna delle due ha bisogno di una credenziale aggiunta nel tenant, e chi la possiede può agire qui come quell'app, con tutte le autorizzazioni concesse all'app.",
		Remediation: "Trattarlo come una probabile compromissione: trovare nei log di controllo chi ha aggiunto la credenziale, rimuoverla e verificare cosa ha fatto l'entità servizio nel frattempo.",
	},
	"ja": {
		Title:       "Microsoft または他テナントのアプリのサービス プリンシパルにある資格情報",
		Description: "他の場所で登録されたアプリケーション (Microsoft のファースト パーティ アプリ、または他組織のマルチテナント アプリ) のローカル サービス プリンシパルに、シークレットまたは証明書が追加されています。どちらもテナント内で資格情報を追加する必要はなく、追加された資格情報を持つ者は、このテナントでそのアプリとして、アプリに付与されたすべてのアクセス許可を使って操作できます。",
		Remediation: "侵害の可能性が高いものとして扱ってください。監査ログで資格情報を追加した人物を特定し、資格情報を削除し、その間にサービス プリンシパルが行った操作を確認してください。",
	},
}

var textRedirectHTTP = map[string]alert.Text{
	"en": {
		Title:       "Redirect URI without HTTPS",
		Description: "The application sends authorization codes or tokens to a plain HTTP address other than the local machine. Anyone on the network path can read or alter them.",
		Remediation: "Change the redirect URI to HTTPS, or remove it if it is no longer used. Only loopback addresses (localhost) may use HTTP.",
	},
	"zh-TW": {
		Title:       "未使用 HTTPS 的重新導向 URI",
		Description: "應用程式會將驗證碼或權杖送到本機以外的純 HTTP 位址，網路路徑上的任何人都能讀取或竄改。",
		Remediation: "將重新導向 URI 改為 HTTPS；若已不再使用請移除。只有回送位址（localhost）可以使用 HTTP。",
	},
	"it": {
		Title:       "URI di reindirizzamento senza HTTPS",
		Description: "L'applicazione invia codici di autenticazione o token a un indirizzo HTTP in chiaro diverso dalla macchina locale. Chiunque si trovi sul percorso di rete può leggerli o alterarli.",
		Remediation: "Portare l'URI di reindirizzamento su HTTPS, o rimuoverlo se non è più usato. Solo gli indirizzi di loopback (localhost) possono usare HTTP.",
	},
	"ja": {
		Title:       "HTTPS を使用していないリダイレクト URI",
		Description: "アプリケーションが、ローカル マシン以外の平文の HTTP アドレスに認証コードやトークンを送信します。ネットワーク経路上のだれでもそれを読み取ったり改ざんしたりできます。",
		Remediation: "リダイレクト URI を HTTPS に変更するか、使われていなければ削除してください。HTTP を使ってよいのはループバック アドレス (localhost) だけです。",
	},
}

var textRedirectWildcard = map[string]alert.Text{
	"en": {
		Title:       "Redirect URI with a wildcard",
		Description: "A redirect URI contains a wildcard, so tokens may be sent to any host or path that matches it, including ones the organisation never meant to trust.",
		Remediation: "Replace the wildcard with the exact URIs the application uses.",
	},
	"zh-TW": {
		Title:       "含萬用字元的重新導向 URI",
		Description: "重新導向 URI 含有萬用字元，權杖可能被送到任何符合的主機或路徑，包括組織從未打算信任的位置。",
		Remediation: "以應用程式實際使用的完整 URI 取代萬用字元。",
	},
	"it": {
		Title:       "URI di reindirizzamento con carattere jolly",
		Description: "Un URI di reindirizzamento contiene un carattere jolly, per cui i token possono essere inviati a qualunque host o percorso corrispondente, anche a quelli di cui l'organizzazione non intendeva fidarsi.",
		Remediation: "Sostituire il carattere jolly con gli URI esatti usati dall'applicazione.",
	},
	"ja": {
		Title:       "ワイルドカードを含むリダイレクト URI",
		Description: "リダイレクト URI にワイルドカードが含まれているため、一致する任意のホストやパスにトークンが送信される可能性があります。組織が信頼するつもりのない場所も含まれます。",
		Remediation: "ワイルドカードを、アプリケーションが実際に使用する正確な URI に置き換えてください。",
	},
}

var textRedirectShared = map[string]alert.Text{
	"en": {
		Title:       "Redirect URI shared with another app",
		Description: "The same redirect URI is registered on more than one application. Whoever controls that address receives the tokens of every app that lists it, and a change meant for one app silently affects the others.",
		Remediation: "Give each application its own redirect URI and remove the copies from the apps that should not have it.",
	},
	"zh-TW": {
		Title:       "與其他應用程式共用的重新導向 URI",
		Description: "同一個重新導向 URI 註冊在多個應用程式上。控制該位址的人會收到所有列出它的應用程式的權杖，而針對某個應用程式的變更也會默默影響其他應用程式。",
		Remediation: "為每個應用程式設定專屬的重新導向 URI，並從不應擁有它的應用程式中移除重複項。",
	},
	"it": {
		Title:       "URI di reindirizzamento condiviso con un'altra app",
		Description: "Lo stesso URI di reindirizzamento è registrato su più di un'applicazione. Chi controlla quell'indirizzo riceve i token di tutte le app che lo elencano, e una modifica pensata per un'app si ripercuote in silenzio sulle altre.",
		Remediation: "Assegnare a ogni applicazione un proprio URI di reindirizzamento e rimuovere le copie dalle app che non dovrebbero averlo.",
	},
	"ja": {
		Title:       "他のアプリと共有されているリダイレクト URI",
		Description: "同じリダイレクト URI が複数のアプリケーションに登録されています。そのアドレスを制御する者は、それを登録しているすべてのアプリのトークンを受け取ります。また、あるアプリ向けの変更が他のアプリにも気付かれずに影響します。",
		Remediation: "アプリケーションごとに専用のリダイレクト URI を設定し、持つべきでないアプリから重複を削除してください。",
	},
}

var textRedirectUnowned = map[string]alert.Text{
	"en": {
		Title:       "Redirect URI on a domain the tenant does not own",
		Description: "A redirect URI points at a host outside the tenant's verified domains (or the owned domains of the policy file). Tokens issued to the app go to whoever runs that domain.",
		Remediation: "Confirm the domain belongs to the organisation or to a partner trusted with the app's tokens; otherwise remove the URI. If the domain is yours, verify it in the tenant or list it under owned_domains.",
	},
	"zh-TW": {
		Title:       "位於租用戶不擁有網域的重新導向 URI",
		Description: "重新導向 URI 指向租用戶已驗證網域（或原則檔中的自有網域）以外的主機。發給此應用程式的權杖會送到經營該網域的人手中。",
		Remediation: "確認該網域屬於組織，或屬於受託處理此應用程式權杖的合作夥伴；否則請移除此 URI。若網域屬於您，請在租用戶中驗證它，或將它列在 owned_domains 下。",
	},
	"it": {
		Title:       "URI di reindirizzamento su un dominio non del tenant",
		Description: "Un URI di reindirizzamento punta a un host esterno ai domini verificati del tenant (o ai domini propri indicati nel file dei criteri). I token emessi per l'app vanno a chi gestisce quel dominio.",
		Remediation: "Verificare che il dominio appartenga all'organizzazione o a un partner a cui si affidano i token dell'app; altrimenti rimuovere l'URI. Se il dominio appartiene all'organizzazione, verificarlo nel tenant o elencarlo in owned_domains.",
	},
	"ja": {
		Title:       "テナントが所有していないドメインのリダイレクト URI",
		Description: "リダイレクト URI が、テナントの検証済みドメイン (またはポリシー ファイルの所有ドメイン) 以外のホストを指しています。アプリに発行されたトークンは、そのドメインを運用する者に送られます。",
		Remediation: "そのドメインが組織のもの、またはアプリのトークンを任せられるパートナーのものであることを確認し、そうでなければ URI を削除してください。自社のドメインであれば、テナントで検証するか owned_domains に追加してください。",
	},
}

var textRedirectDangling = map[string]alert.Text{
	"en": {
		Title:       "Redirect URI whose host no longer exists",
		Description: "DNS says the host of a redirect URI does not exist, or that it is an alias of a name that does not exist. Whoever registers the missing name (often a free name under a shared cloud domain such as azurewebsites.net) receives the codes and tokens the app sends there.",
		Remediation: "Remove the redirect URI now. If the site moved, register its new address, and delete stale DNS aliases that point at released cloud resources.",
	},
	"zh-TW": {
		Title:       "主機已不存在的重新導向 URI",
		Description: "DNS 顯示重新導向 URI 的主機不存在，或是它為一個不存在名稱的別名。任何人只要註冊該遺失的名稱（通常是 azurewebsites.net 等共用雲端網域下的空閒名稱），就能收到應用程式送往該處的驗證碼與權杖。",
		Remediation: "請立即移除此重新導向 URI。若網站已搬遷，請登錄新位址，並刪除指向已釋出雲端資源的過時 DNS 別名。",
	},
	"it": {
		Title:       "URI di reindirizzamento il cui host non esiste più",
		Description: "Il DNS indica che l'host di un URI di reindirizzamento non esiste, oppure che è un alias di un nome che non esiste. Chi registra il nome mancante (spesso un nome libero in un dominio cloud condiviso come azurewebsites.net) riceve i codici e i token che l'app vi invia.",
		Remediation: "Rimuovere subito l'URI di reindirizzamento. Se il sito è stato spostato, registrarne il nuovo indirizzo ed eliminare gli alias DNS obsoleti che puntano a risorse cloud rilasciate.",
	},
	"ja": {
		Title:       "ホストが存在しなくなったリダイレクト URI",
		Description: "DNS によると、リダイレクト URI のホストが存在しないか、存在しない名前の別名 (CNAME) になっています。その名前 (多くは azurewebsites.net などの共有クラウド ドメインの空き名) を登録した者は、アプリがそこに送るコードやトークンを受け取れます。",
		Remediation: "リダイレクト URI をすぐに削除してください。サイトが移転した場合は新しいアドレスを登録し、解放されたクラウド リソースを指す古い DNS 別名を削除してください。",
	},
}

var textIdentifierDangling = map[string]alert.Text{
	"en": {
		Title:       "App ID URI whose host no longer exists",
		Description: "DNS says the host in an application ID URI does not exist, or that it is an alias of a name that does not exist. The identifier still names the API in tokens and consent prompts, so whoever registers the missing name can host a look-alike of the API at the address people associate with it.",
		Remediation: "After checking which clients request tokens for it, replace the identifier with one on a verified domain you control, or with api://<application id>.",
	},
	"zh-TW": {
		Title:       "主機已不存在的 AppID URI",
		Description: "DNS 顯示 AppID URI 中的主機不存在，或是它為一個不存在名稱的別名。此識別碼仍在權杖與同意提示中代表該 API，因此註冊該遺失名稱的人可以在大家以為屬於此 API 的位址上架設仿冒服務。",
		Remediation: "確認哪些用戶端會為此識別碼要求權杖後，將它換成您掌控的已驗證網域上的識別碼，或 api://<應用程式識別碼>。",
	},
	"it": {
		Title:       "URI AppID il cui host non esiste più",
		Description: "Il DNS indica che l'host di un URI AppID non esiste, oppure che è un alias di un nome che non esiste. L'identificatore continua a indicare l'API nei token e nelle richieste di consenso, quindi chi registra il nome mancante può ospitare un'imitazione dell'API all'indirizzo che gli utenti associano a essa.",
		Remediation: "Dopo aver verificato quali client richiedono token per questo identificatore, sostituirlo con uno in un dominio verificato controllato dall'organizzazione o con api://<ID applicazione>.",
	},
	"ja": {
		Title:       "ホストが存在しなくなったAppID URI",
		Description: "DNS によると、AppID URI のホストが存在しないか、存在しない名前の別名になっています。この識別子はトークンや同意プロンプトで引き続き API を表すため、その名前を登録した者は、利用者がこの API のものと考えるアドレスで偽の API を公開できます。",
		Remediation: "この識別子でトークンを要求しているクライアントを確認したうえで、管理下にある検証済みドメインの識別子、または api://<アプリケーション ID> に置き換えてください。",
	},
}

var textIdentifierUnowned = map[string]alert.Text{
	"en": {
		Title:       "App ID URI outside the tenant's verified domains",
		Description: "An application ID URI uses a host that is not one of the tenant's verified domains (or the owned domains of the policy file). Microsoft Entra ID expects identifiers that name a host to use a verified domain; an old one on a foreign or lapsed domain can be taken over, and it misleads anyone reading the app's tokens or consent prompts.",
		Remediation: "After updating the clients that request tokens for it, change the identifier to api://<application id> or to a URI on a verified domain.",
	},
	"zh-TW": {
		Title:       "位於租用戶已驗證網域以外的 AppID URI",
		Description: "AppID URI 使用的主機不在租用戶的已驗證網域（或原則檔的自有網域）之內。Microsoft Entra ID 要求含有主機名稱的識別碼使用已驗證網域；留在外部或已失效網域上的舊識別碼可能被接管，也會誤導檢視此應用程式權杖或同意提示的人。",
		Remediation: "先更新為此識別碼要求權杖的用戶端，再將識別碼改為 api://<應用程式識別碼> 或已驗證網域上的 URI。",
	},
	"it": {
		Title:       "URI AppID fuori dai domini verificati del tenant",
		Description: "Un URI AppID usa un host che non è tra i domini verificati del tenant (o tra i domini propri del file dei criteri). Microsoft Entra ID si aspetta che gli identificatori che nominano un host usino un dominio verificato; uno vecchio su un dominio esterno o scaduto può essere preso da altri e inganna chi legge i token o le richieste di consenso dell'app.",
		Remediation: "Dopo aver aggiornato i client che richiedono token per questo identificatore, cambiarlo in api://<ID applicazione> o in un URI su un dominio verificato.",
	},
	"ja": {
		Title:       "テナントの検証済みドメイン以外にあるAppID URI",
		Description: "AppID URI が、テナントの検証済みドメイン (またはポリシー ファイルの所有ドメイン) ではないホストを使用しています。Microsoft Entra ID では、ホスト名を含む識別子には検証済みドメインを使うことが求められます。外部のドメインや失効したドメイン上に残った古い識別子は乗っ取られる可能性があり、アプリのトークンや同意プロンプトを見る人を誤解させます。",
		Remediation: "この識別子でトークンを要求しているクライアントを更新したうえで、識別子を api://<アプリケーション ID> または検証済みドメイン上の URI に変更してください。",
	},
}

var textLogoutMissing = map[string]alert.Text{
	"en": {
		Title:       "Web app without a usable logout URL",
		Description: "The application signs users in through the web platform but has no front-channel logout URL, or a blank one. When a user signs out of Microsoft Entra ID, the app is not told, so its own session stays open in that browser.",
		Remediation: "Set the logout URL to the HTTPS page of the app that ends its session, on a host the organisation controls.",
	},
	"zh-TW": {
		Title:       "沒有可用登出 URL 的 Web 應用程式",
		Description: "此應用程式透過 Web 平台讓使用者登入，卻沒有前端通道登出 URL，或該 URL 為空白。使用者登出 Microsoft Entra ID 時，應用程式不會收到通知，因此它在該瀏覽器上的工作階段仍保持開啟。",
		Remediation: "將登出 URL 設為應用程式中結束工作階段的 HTTPS 頁面，且主機須由組織掌控。",
	},
	"it": {
		Title:       "App web senza un URL di disconnessione utilizzabile",
		Description: "L'applicazione fa accedere gli utenti tramite la piattaforma web ma non ha un URL di disconnessione, o ne ha uno vuoto. Quando un utente si disconnette da Microsoft Entra ID l'app non viene avvisata, e la sua sessione resta aperta in quel browser.",
		Remediation: "Impostare come URL di disconnessione la pagina HTTPS dell'app che chiude la sessione, su un host controllato dall'organizzazione.",
	},
	"ja": {
		Title:       "使用できるログアウト URL がない Web アプリ",
		Description: "このアプリケーションは Web プラットフォームでユーザーをサインインさせますが、フロントチャネル ログアウト URL がないか空白です。ユーザーが Microsoft Entra ID からサインアウトしてもアプリには通知されず、そのブラウザーでのアプリのセッションは開いたままになります。",
		Remediation: "ログアウト URL に、アプリのセッションを終了する HTTPS ページを、組織が管理するホスト上で設定してください。",
	},
}

var textLogoutHTTP = map[string]alert.Text{
	"en": {
		Title:       "Logout URL without HTTPS",
		Description: "The front-channel logout URL is a plain HTTP address other than the local machine, so the sign-out request and the session identifier it carries can be read or blocked on the network.",
		Remediation: "Change the logout URL to HTTPS.",
	},
	"zh-TW": {
		Title:       "未使用 HTTPS 的登出 URL",
		Description: "前端通道登出 URL 是本機以外的純 HTTP 位址，登出要求及其攜帶的工作階段識別碼可能在網路上被讀取或攔阻。",
		Remediation: "將登出 URL 改為 HTTPS。",
	},
	"it": {
		Title:       "URL di disconnessione senza HTTPS",
		Description: "L'URL di disconnessione è un indirizzo HTTP in chiaro diverso dalla macchina locale, quindi la richiesta di disconnessione e l'identificatore di sessione che porta possono essere letti o bloccati in rete.",
		Remediation: "Portare l'URL di disconnessione su HTTPS.",
	},
	"ja": {
		Title:       "HTTPS を使用していないログアウト URL",
		Description: "フロントチャネル ログアウト URL がローカル マシン以外の平文の HTTP アドレスのため、サインアウト要求とそれに含まれるセッション識別子が、ネットワーク上で読み取られたりブロックされたりするおそれがあります。",
		Remediation: "ログアウト URL を HTTPS に変更してください。",
	},
}

var textLogoutDangling = map[string]alert.Text{
	"en": {
		Title:       "Logout URL whose host no longer exists",
		Description: "DNS says the host of the logout URL does not exist, or that it is an alias of a name that does not exist. Sign-out requests go nowhere, so the app's sessions are never ended, and whoever registers the name receives them.",
		Remediation: "Point the logout URL at the app's current sign-out page, or clear it if the app is retired, and delete stale DNS aliases.",
	},
	"zh-TW": {
		Title:       "主機已不存在的登出 URL",
		Description: "DNS 顯示登出 URL 的主機不存在，或是它為一個不存在名稱的別名。登出要求無處可送，應用程式的工作階段永遠不會結束，而註冊該名稱的人會收到這些要求。",
		Remediation: "將登出 URL 指向應用程式目前的登出頁面；若應用程式已停用則清除它，並刪除過時的 DNS 別名。",
	},
	"it": {
		Title:       "URL di disconnessione il cui host non esiste più",
		Description: "Il DNS indica che l'host dell'URL di disconnessione non esiste, oppure che è un alias di un nome che non esiste. Le richieste di disconnessione non arrivano da nessuna parte, quindi le sessioni dell'app non vengono mai chiuse, e chi registra il nome le riceve.",
		Remediation: "Far puntare l'URL di disconnessione alla pagina di disconnessione attuale dell'app, o svuotarlo se l'app è dismessa, ed eliminare gli alias DNS obsoleti.",
	},
	"ja": {
		Title:       "ホストが存在しなくなったログアウト URL",
		Description: "DNS によると、ログアウト URL のホストが存在しないか、存在しない名前の別名になっています。サインアウト要求はどこにも届かず、アプリのセッションは終了しません。また、その名前を登録した者がそれらの要求を受け取ります。",
		Remediation: "ログアウト URL をアプリの現在のサインアウト ページに向けるか、アプリが廃止済みならクリアし、古い DNS 別名を削除してください。",
	},
}

var textTenantWideGrant = map[string]alert.Text{
	"en": {
		Title:       "Highly privileged delegated permissions granted for all users",
		Description: "An admin consent (consent type AllPrincipals) lets the app use highly privileged delegated permissions on a sensitive API on behalf of every user in the tenant, without asking any of them.",
		Remediation: "Confirm the app needs these permissions for everyone. Otherwise revoke the grant or narrow its scopes, and prefer consent for the specific users who use the app.",
	},
	"zh-TW": {
		Title:       "代表所有使用者授與的高特殊權限委派權限",
		Description: "管理員同意（同意類型 AllPrincipals）讓此應用程式能代表租用戶中的每一位使用者，在存放機密資料的 API 上使用高特殊權限的委派權限，且不需詢問任何使用者。",
		Remediation: "確認應用程式確實需要為所有人取得這些權限；否則請撤銷授與或縮小其範圍，並優先只為實際使用此應用程式的使用者同意。",
	},
	"it": {
		Title:       "Autorizzazioni delegate con privilegi elevati concesse per tutti gli utenti",
		Description: "Un consenso amministratore (tipo di consenso AllPrincipals) permette all'app di usare autorizzazioni delegate con privilegi elevati su un'API con dati sensibili per conto di ogni utente del tenant, senza chiedere a nessuno di loro.",
		Remediation: "Verificare che l'app abbia bisogno di queste autorizzazioni per tutti. Altrimenti revocare la concessione o ridurne gli ambiti, preferendo il consenso per i soli utenti che usano l'app.",
	},
	"ja": {
		Title:       "全ユーザーに代わって付与された高い特権の委任されたアクセス許可",
		Description: "管理者の同意 (同意の種類 AllPrincipals) により、このアプリはテナント内のすべてのユーザーに代わって、機密性の高い API で高い特権の委任されたアクセス許可を、だれにも確認せずに使用できます。",
		Remediation: "アプリが全員分のこれらのアクセス許可を本当に必要としているか確認してください。必要なければ付与を取り消すかスコープを絞り込み、アプリを実際に使うユーザーごとの同意を優先してください。",
	},
}

var textAppPermission = map[string]alert.Text{
	"en": {
		Title:       "Highly privileged application permission granted",
		Description: "The service principal holds application permissions (app roles) on a sensitive API such as Microsoft Graph that are highly privileged: broad read or write access to all data of a kind, or a path to taking over the tenant. It uses them without any signed-in user.",
		Remediation: "Check that the app needs each permission. Remove the ones it does not use, replace broad ones with narrower or resource-scoped permissions, and protect the app's credentials and owners accordingly.",
	},
	"zh-TW": {
		Title:       "已授與高特殊權限的應用程式權限",
		Description: "此服務主體在 Microsoft Graph 等存放機密資料的 API 上持有高特殊權限的應用程式權限（應用程式角色）：可廣泛讀寫某類別的所有資料，或可能導致整個租用戶遭接管。它使用這些權限時不需要任何已登入的使用者。",
		Remediation: "確認應用程式確實需要每一項權限。移除未使用的權限，以範圍較小或限定資源的權限取代廣泛權限，並相應保護應用程式的認證與擁有者。",
	},
	"it": {
		Title:       "Autorizzazione dell'applicazione con privilegi elevati concessa",
		Description: "L'entità servizio ha autorizzazioni dell'applicazione (ruoli dell'app) con privilegi elevati su un'API con dati sensibili come Microsoft Graph: accesso ampio in lettura o scrittura a tutti i dati di un tipo, o una via per prendere il controllo del tenant. Le usa senza alcun utente connesso.",
		Remediation: "Verificare che l'app abbia bisogno di ciascuna autorizzazione. Rimuovere quelle inutilizzate, sostituire quelle ampie con altre più ristrette o limitate alle risorse, e proteggere di conseguenza credenziali e proprietari dell'app.",
	},
	"ja": {
		Title:       "高い特権のアプリケーションのアクセス許可の付与",
		Description: "このサービス プリンシパルは、Microsoft Graph などの機密性の高い API で高い特権のアプリケーションのアクセス許可 (アプリ ロール) を持っています。ある種類のすべてのデータへの広範な読み取りや書き込み、またはテナントの乗っ取りにつながる権限です。サインインしているユーザーなしでこれらを使用します。",
		Remediation: "各アクセス許可がアプリに必要か確認してください。使っていないものは削除し、広範なものはより限定的な、またはリソース単位のアクセス許可に置き換え、アプリの資格情報と所有者をそれに見合うように保護してください。",
	},
}

var textSPRole = map[string]alert.Text{
	"en": {
		Title:       "Service principal holds a privileged directory role",
		Description: "The service principal is assigned a Microsoft Entra role that Microsoft marks as privileged. Whoever can use the app's credentials acts with that role, and no multifactor authentication stands in the way.",
		Remediation: "Check that the app needs the role. Remove the assignment or replace it with a narrower role or a scoped assignment, and restrict who can manage the app's credentials.",
	},
	"zh-TW": {
		Title:       "服務主體持有特殊權限目錄角色",
		Description: "此服務主體被指派了 Microsoft 標示為特殊權限的 Microsoft Entra 角色。任何能使用此應用程式認證的人都能以該角色行事，而且不會遇到多重要素驗證。",
		Remediation: "確認應用程式確實需要此角色。移除指派，或改用範圍較小的角色或限定範圍的指派，並限制可管理此應用程式認證的人員。",
	},
	"it": {
		Title:       "Entità servizio con un ruolo della directory con privilegi",
		Description: "All'entità servizio è assegnato un ruolo di Microsoft Entra che Microsoft classifica tra quelli con privilegi. Chiunque possa usare le credenziali dell'app agisce con quel ruolo, senza che l'autenticazione a più fattori si frapponga.",
		Remediation: "Verificare che l'app abbia bisogno del ruolo. Rimuovere l'assegnazione o sostituirla con un ruolo più ristretto o con un'assegnazione limitata a un ambito, e restringere chi può gestire le credenziali dell'app.",
	},
	"ja": {
		Title:       "特権ディレクトリ ロールを持つサービス プリンシパル",
		Description: "このサービス プリンシパルには、Microsoft が特権として指定している Microsoft Entra ロールが割り当てられています。アプリの資格情報を使える者はだれでも、多要素認証に妨げられることなく、そのロールで操作できます。",
		Remediation: "アプリにそのロールが必要か確認してください。割り当てを削除するか、より限定的なロールやスコープ付きの割り当てに置き換え、アプリの資格情報を管理できるユーザーを制限してください。",
	},
}

var textUserOwner = map[string]alert.Text{
	"en": {
		Title:       "Privileged app owned by a user",
		Description: "A user is an owner of an application or service principal that holds highly privileged application permissions or a privileged directory role. An owner can add credentials to the app and then act with all of its privileges, so the user's account becomes as sensitive as the app.",
		Remediation: "Remove user owners from privileged apps and manage them through administrators with the right roles, or protect the owning accounts like privileged accounts.",
	},
	"zh-TW": {
		Title:       "由使用者擁有的特殊權限應用程式",
		Description: "某位使用者是持有高特殊權限應用程式權限或特殊權限目錄角色之應用程式或服務主體的擁有者。擁有者可以為應用程式新增認證，再以其所有權限行事，因此該使用者帳戶需要與此應用程式同等的保護。",
		Remediation: "從特殊權限應用程式移除使用者擁有者，改由具備適當角色的系統管理員管理；或以保護特殊權限帳戶的方式保護這些擁有者帳戶。",
	},
	"it": {
		Title:       "App con privilegi di proprietà di un utente",
		Description: "Un utente è proprietario di un'applicazione o entità servizio che ha autorizzazioni dell'applicazione con privilegi elevati o un ruolo della directory con privilegi. Un proprietario può aggiungere credenziali all'app e poi agire con tutti i suoi privilegi, quindi l'account dell'utente diventa sensibile quanto l'app.",
		Remediation: "Rimuovere gli utenti proprietari dalle app con privilegi e gestirle tramite amministratori con i ruoli adatti, oppure proteggere gli account proprietari come account con privilegi.",
	},
	"ja": {
		Title:       "ユーザーが所有する特権アプリ",
		Description: "高い特権のアプリケーションのアクセス許可または特権ディレクトリ ロールを持つアプリケーションまたはサービス プリンシパルの所有者に、ユーザーが含まれています。所有者はアプリに資格情報を追加してアプリのすべての特権で操作できるため、そのユーザー アカウントはアプリと同じくらい重要になります。",
		Remediation: "特権アプリからユーザーの所有者を削除し、適切なロールを持つ管理者が管理するようにするか、所有者のアカウントを特権アカウントと同様に保護してください。",
	},
}
