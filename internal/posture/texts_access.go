package posture

import "github.com/appwatch/appwatch/internal/alert"

// Texts of the ownership, credential path, Azure role, workload identity,
// third-party and Agent ID checks.

var textNoOwner = map[string]alert.Text{
	"en": {
		Title:       "App registration with no owner and no notes",
		Description: "The app registration has no owners and its notes say nothing, so nobody is known to answer for it: to renew its credentials, to review its permissions, or to say it can go.",
		Remediation: "Record in the app's notes the team that answers for it (appwatch's stance for privileged apps), or, for an unprivileged app, add an accountable owner; delete the app if nobody claims it.",
	},
	"zh-TW": {
		Title:       "沒有擁有者也沒有附註的應用程式註冊",
		Description: "此應用程式註冊沒有擁有者，附註也沒有說明，因此沒有人已知要為它負責：更新其認證、審查其權限，或決定它可以移除。",
		Remediation: "在應用程式的附註中記錄負責的團隊（appwatch 對特殊權限應用程式的立場）；若為非特殊權限應用程式，可新增負責的擁有者。若無人認領，請刪除此應用程式。",
	},
	"it": {
		Title:       "Registrazione dell'applicazione senza proprietari né note",
		Description: "La registrazione dell'applicazione non ha proprietari e le sue note non dicono nulla, quindi non si sa chi ne risponda: chi ne rinnovi le credenziali, ne riveda le autorizzazioni o decida che può essere eliminata.",
		Remediation: "Indicare nelle note dell'app il team che ne risponde (la posizione di appwatch per le app con privilegi) oppure, per un'app senza privilegi, aggiungere un proprietario responsabile; eliminare l'app se nessuno la rivendica.",
	},
	"ja": {
		Title:       "所有者もメモもないアプリケーションの登録",
		Description: "このアプリケーションの登録には所有者がおらず、メモにも何も書かれていないため、資格情報の更新、アクセス許可のレビュー、削除の判断をだれが担うのか分かりません。",
		Remediation: "アプリのメモに責任を持つチームを記録する (特権アプリに対する appwatch の方針) か、特権のないアプリであれば責任ある所有者を追加してください。だれも名乗り出なければアプリを削除してください。",
	},
}

var textGuestOwner = map[string]alert.Text{
	"en": {
		Title:       "App owned by a guest user",
		Description: "A guest (an external user invited into the tenant) owns the application or service principal. The guest's account is governed by another organisation, yet it can add credentials to the app and act as the app here.",
		Remediation: "Replace the guest owner with an accountable member of the organisation, or remove the ownership if the guest only needs to use the app.",
	},
	"zh-TW": {
		Title:       "由來賓使用者擁有的應用程式",
		Description: "來賓（受邀加入租用戶的外部使用者）是此應用程式或服務主體的擁有者。來賓帳戶由其他組織管理，卻能為此應用程式新增認證，並在此以該應用程式的身分行事。",
		Remediation: "以組織內負責的成員取代來賓擁有者；若來賓只需要使用此應用程式，請移除其擁有權。",
	},
	"it": {
		Title:       "App di proprietà di un utente guest",
		Description: "Un guest (un utente esterno invitato nel tenant) è proprietario dell'applicazione o dell'entità servizio. L'account del guest è gestito da un'altra organizzazione, eppure può aggiungere credenziali all'app e agire qui come l'app.",
		Remediation: "Sostituire il proprietario guest con un membro responsabile dell'organizzazione, oppure rimuovere la proprietà se il guest deve solo usare l'app.",
	},
	"ja": {
		Title:       "ゲスト ユーザーが所有するアプリ",
		Description: "ゲスト (テナントに招待された外部ユーザー) がアプリケーションまたはサービス プリンシパルの所有者です。ゲストのアカウントは別の組織が管理していますが、アプリに資格情報を追加し、このテナントでアプリとして操作できます。",
		Remediation: "ゲストの所有者を組織内の責任あるメンバーに置き換えるか、ゲストがアプリを使うだけであれば所有権を削除してください。",
	},
}

var textWeakOwner = map[string]alert.Text{
	"en": {
		Title:       "App owner without a strong authentication method",
		Description: "A user who owns the app has registered no authentication method stronger than a phone call, a text message or email. Whoever phishes or SIM-swaps that user can add a credential to the app and keep its access after the user's password is reset.",
		Remediation: "Have the owner register a phishing-resistant method (FIDO2 security key, Windows Hello for Business or passkey in Microsoft Authenticator) and require it with Conditional Access, or remove the ownership.",
	},
	"zh-TW": {
		Title:       "沒有強式驗證方法的應用程式擁有者",
		Description: "擁有此應用程式的使用者未註冊任何比電話、簡訊或電子郵件更強的驗證方法。任何以網路釣魚或 SIM 卡調換取得該使用者身分的人，都能為應用程式新增認證，並在使用者密碼重設後仍保有其存取權。",
		Remediation: "請擁有者註冊防網路釣魚的方法（FIDO2 安全性金鑰、Windows Hello 企業版或 Microsoft Authenticator 中的密碼金鑰），並以條件式存取要求使用；否則移除其擁有權。",
	},
	"it": {
		Title:       "Proprietario dell'app senza un metodo di autenticazione forte",
		Description: "Un utente proprietario dell'app non ha registrato metodi di autenticazione più forti di una chiamata, un SMS o un'email. Chi riesce a ingannare quell'utente con il phishing o a scambiarne la SIM può aggiungere una credenziale all'app e conservarne l'accesso anche dopo la reimpostazione della password dell'utente.",
		Remediation: "Far registrare al proprietario un metodo resistente al phishing (chiave di sicurezza FIDO2, Windows Hello for Business o passkey in Microsoft Authenticator) e richiederlo con l'accesso condizionale, oppure rimuovere la proprietà.",
	},
	"ja": {
		Title:       "強力な認証方法を持たないアプリの所有者",
		Description: "アプリを所有するユーザーが、電話、SMS、メールより強力な認証方法を登録していません。そのユーザーをフィッシングや SIM スワップで乗っ取った者はアプリに資格情報を追加でき、ユーザーのパスワードがリセットされた後もアクセスを維持できます。",
		Remediation: "所有者にフィッシング耐性のある方法 (FIDO2 セキュリティ キー、Windows Hello for Business、Microsoft Authenticator のパスキー) を登録させ、条件付きアクセスで必須にするか、所有権を削除してください。",
	},
}

var textSPOwner = map[string]alert.Text{
	"en": {
		Title:       "App owned by another service principal",
		Description: "A service principal (or agent identity) owns the application or service principal. Whoever holds the owner's credentials can add a credential to the owned app and act as it, a step that chains one app's access into another's and that sign-in reviews rarely follow.",
		Remediation: "Remove the service principal from the owners unless an automation really manages the app; if it does, treat the owner's credentials as sensitive as the owned app's privileges.",
	},
	"zh-TW": {
		Title:       "由其他服務主體擁有的應用程式",
		Description: "某個服務主體（或代理程式身分識別）是此應用程式或服務主體的擁有者。持有擁有者認證的人可以為被擁有的應用程式新增認證並以其身分行事，把一個應用程式的存取權串接到另一個，而登入審查很少追蹤到這一步。",
		Remediation: "除非確實有自動化作業在管理此應用程式，否則請從擁有者中移除該服務主體；若確有需要，請以與被擁有應用程式權限相當的層級保護擁有者的認證。",
	},
	"it": {
		Title:       "App di proprietà di un'altra entità servizio",
		Description: "Un'entità servizio (o un'identità agente) è proprietaria dell'applicazione o dell'entità servizio. Chi possiede le credenziali del proprietario può aggiungere una credenziale all'app posseduta e agire come essa, un passaggio che concatena l'accesso di un'app a quello di un'altra e che le revisioni degli accessi seguono di rado.",
		Remediation: "Rimuovere l'entità servizio dai proprietari a meno che un'automazione gestisca davvero l'app; in tal caso proteggere le credenziali del proprietario quanto i privilegi dell'app posseduta.",
	},
	"ja": {
		Title:       "別のサービス プリンシパルが所有するアプリ",
		Description: "サービス プリンシパル (またはエージェント ID) がアプリケーションまたはサービス プリンシパルの所有者です。所有者の資格情報を持つ者は所有されるアプリに資格情報を追加してそのアプリとして操作でき、あるアプリのアクセス権を別のアプリへと連鎖させます。サインインのレビューでこの経路が追跡されることはほとんどありません。",
		Remediation: "自動化で実際にアプリを管理しているのでなければ、所有者からサービス プリンシパルを削除してください。管理している場合は、所有者の資格情報を所有されるアプリの特権と同等に保護してください。",
	},
}

var textCredentialPath = map[string]alert.Text{
	"en": {
		Title:       "Others can add a credential to a privileged app",
		Description: "People and apps that are not Global Administrators can add a credential to this privileged app and then sign in as it: its owners, holders of Application Administrator or Cloud Application Administrator (active or eligible, tenant-wide or on this app), and service principals with an application permission that reaches app credentials. Each path in the evidence runs from that holder to the app's privileges, a route from a small role to control of the tenant.",
		Remediation: "Cut each path: remove owners from the privileged app, scope or remove the application administrator assignments that reach it, and remove the permissions that let other apps write credentials; protect the app with an app management policy and an instance lock.",
	},
	"zh-TW": {
		Title:       "其他人可為特殊權限應用程式新增認證",
		Description: "不是全域管理員的人員與應用程式，可以為此特殊權限應用程式新增認證，再以其身分登入：其擁有者、應用程式系統管理員或雲端應用程式系統管理員的持有者（作用中或符合資格，全租用戶或針對此應用程式），以及持有可觸及應用程式認證之應用程式權限的服務主體。證據中的每條路徑都從持有者通往此應用程式的權限，是從小角色到控制整個租用戶的路線。",
		Remediation: "切斷每一條路徑：移除特殊權限應用程式的擁有者，縮小或移除可觸及它的應用程式系統管理員指派，並移除讓其他應用程式寫入認證的權限；以應用程式管理原則與執行個體鎖定保護此應用程式。",
	},
	"it": {
		Title:       "Altri possono aggiungere una credenziale a un'app con privilegi",
		Description: "Persone e app che non sono Amministratori globali possono aggiungere una credenziale a questa app con privilegi e poi accedere come essa: i suoi proprietari, chi ha il ruolo Amministratore applicazioni o Amministratore applicazioni cloud (attivo o idoneo, per tutto il tenant o su questa app) e le entità servizio con un'autorizzazione dell'applicazione che arriva alle credenziali delle app. Ogni percorso nelle evidenze va da chi detiene l'accesso ai privilegi dell'app: una strada da un ruolo minore al controllo del tenant.",
		Remediation: "Interrompere ogni percorso: rimuovere i proprietari dall'app con privilegi, limitare o rimuovere le assegnazioni di amministratore applicazioni che la raggiungono e rimuovere le autorizzazioni che permettono ad altre app di scrivere credenziali; proteggere l'app con un criterio di gestione delle app e un blocco dell'istanza.",
	},
	"ja": {
		Title:       "特権アプリに他者が資格情報を追加できる",
		Description: "グローバル管理者ではないユーザーやアプリが、この特権アプリに資格情報を追加してそのアプリとしてサインインできます。アプリの所有者、アプリケーション管理者またはクラウド アプリケーション管理者の保持者 (アクティブまたは適格な割り当て、テナント全体またはこのアプリ対象)、アプリの資格情報に届くアプリケーションのアクセス許可を持つサービス プリンシパルです。証拠の各経路は保持者からアプリの特権までを示しており、小さなロールからテナントの支配に至る道筋です。",
		Remediation: "各経路を断ってください。特権アプリから所有者を削除し、このアプリに届くアプリケーション管理者の割り当てのスコープを絞るか削除し、他のアプリに資格情報の書き込みを許すアクセス許可を削除します。アプリ管理ポリシーとインスタンス ロックでアプリを保護してください。",
	},
}

var textAzureRole = map[string]alert.Text{
	"en": {
		Title:       "Service principal holds a privileged Azure role",
		Description: "The service principal is assigned an Azure RBAC role that can change access, read secrets or run code (or a custom role appwatch cannot judge), on a management group, subscription, resource group or resource. Whoever uses the app's credentials controls those Azure resources, and on a subscription or above, every managed identity that runs there.",
		Remediation: "Check that the app needs the role at that scope. Replace Owner, Contributor and User Access Administrator with narrower roles on the resource groups or resources it works on, and remove assignments it does not use.",
	},
	"zh-TW": {
		Title:       "服務主體持有特殊權限的 Azure 角色",
		Description: "此服務主體在管理群組、訂用帳戶、資源群組或資源上，被指派了可變更存取權、讀取祕密或執行程式碼的 Azure RBAC 角色（或 appwatch 無法判斷的自訂角色）。使用此應用程式認證的人即可控制這些 Azure 資源；若範圍在訂用帳戶以上，還能控制在其中執行的每個受控身分識別。",
		Remediation: "確認應用程式確實需要該範圍的角色。將擁有者、參與者與使用者存取系統管理員改為其所作業資源群組或資源上的較小角色，並移除未使用的指派。",
	},
	"it": {
		Title:       "Entità servizio con un ruolo di Azure con privilegi",
		Description: "All'entità servizio è assegnato un ruolo Azure RBAC che può modificare gli accessi, leggere segreti o eseguire codice (o un ruolo personalizzato che appwatch non sa valutare), su un gruppo di gestione, una sottoscrizione, un gruppo di risorse o una risorsa. Chi usa le credenziali dell'app controlla quelle risorse Azure e, da una sottoscrizione in su, ogni identità gestita che vi è in esecuzione.",
		Remediation: "Verificare che l'app abbia bisogno del ruolo in quell'ambito. Sostituire Proprietario, Collaboratore e Amministratore accesso utenti con ruoli più ristretti sui gruppi di risorse o sulle risorse su cui lavora, e rimuovere le assegnazioni che non usa.",
	},
	"ja": {
		Title:       "特権のある Azure ロールを持つサービス プリンシパル",
		Description: "このサービス プリンシパルには、管理グループ、サブスクリプション、リソース グループ、またはリソースに対して、アクセスの変更、シークレットの読み取り、コードの実行ができる Azure RBAC ロール (または appwatch が判断できないカスタム ロール) が割り当てられています。アプリの資格情報を使う者はそれらの Azure リソースを制御でき、サブスクリプション以上であればそこで実行されるすべてのマネージド ID も制御できます。",
		Remediation: "アプリがそのスコープでロールを必要としているか確認してください。所有者、共同作成者、ユーザー アクセス管理者は、作業対象のリソース グループやリソースに対するより限定的なロールに置き換え、使っていない割り当ては削除してください。",
	},
}

var textRiskySP = map[string]alert.Text{
	"en": {
		Title:       "Microsoft Entra ID Protection flags the service principal as risky",
		Description: "Identity Protection rates this workload identity at risk, or an administrator confirmed it compromised, from signals such as leaked credentials, sign-ins from unusual places or threat intelligence. The evidence lists the detections.",
		Remediation: "Investigate the detections and the app's recent sign-ins and changes; if compromise is likely, remove its credentials and issue new ones, review what it accessed, then confirm compromise or dismiss the risk.",
	},
	"zh-TW": {
		Title:       "Microsoft Entra ID Protection 將服務主體標示為有風險",
		Description: "身分識別保護依據外洩的認證、來自異常位置的登入或威脅情報等訊號，將此工作負載身分識別評為有風險，或系統管理員已確認它遭入侵。證據中列出相關偵測。",
		Remediation: "調查偵測結果以及應用程式最近的登入與變更；若可能已遭入侵，移除其認證並發行新的認證，檢查它存取過的內容，然後確認入侵或關閉風險。",
	},
	"it": {
		Title:       "Microsoft Entra ID Protection segnala l'entità servizio come a rischio",
		Description: "Microsoft Entra ID Protection valuta a rischio questa identità del carico di lavoro, oppure un amministratore ne ha confermato la compromissione, in base a segnali come credenziali trapelate, accessi da luoghi insoliti o intelligence sulle minacce. Le evidenze elencano i rilevamenti.",
		Remediation: "Esaminare i rilevamenti e gli accessi e le modifiche recenti dell'app; se la compromissione è probabile, rimuoverne le credenziali ed emetterne di nuove, verificare a cosa ha avuto accesso, poi confermare la compromissione o ignorare il rischio.",
	},
	"ja": {
		Title:       "Microsoft Entra ID Protection がサービス プリンシパルを危険と判定",
		Description: "ID 保護が、漏えいした資格情報、通常と異なる場所からのサインイン、脅威インテリジェンスなどのシグナルから、このワークロード ID を危険と評価しているか、管理者が侵害を確認しています。証拠には検出の一覧が含まれます。",
		Remediation: "検出とアプリの最近のサインインや変更を調査してください。侵害の可能性が高ければ、資格情報を削除して新しいものを発行し、アクセスした内容を確認してから、侵害を確認するかリスクを無視してください。",
	},
}

var textNoCA = map[string]alert.Text{
	"en": {
		Title:       "Privileged workload identity outside Conditional Access",
		Description: "No enabled Conditional Access policy covers this privileged service principal of a single-tenant app, or this agent identity: it is excluded, or no policy targets workload identities at all. Stolen credentials then work from any network, and risk detections block nothing.",
		Remediation: "Add a Conditional Access policy for workload identities (Microsoft Entra Workload ID Premium) that blocks this identity outside its known networks or at elevated risk, and keep exclusions to named, reviewed cases.",
	},
	"zh-TW": {
		Title:       "不在條件式存取範圍內的特殊權限工作負載身分識別",
		Description: "沒有任何已啟用的條件式存取原則涵蓋此單一租用戶應用程式的特殊權限服務主體或此代理程式身分識別：它被排除，或根本沒有原則以工作負載身分識別為目標。如此一來，被竊的認證可從任何網路使用，風險偵測也不會封鎖任何事。",
		Remediation: "新增以工作負載身分識別為對象的條件式存取原則（Microsoft Entra 工作負載 ID Premium），在已知網路以外或風險升高時封鎖此身分識別，並只保留具名且經審查的排除項目。",
	},
	"it": {
		Title:       "Identità del carico di lavoro con privilegi fuori dall'accesso condizionale",
		Description: "Nessun criterio di accesso condizionale attivo copre questa entità servizio con privilegi di un'app a tenant singolo, o questa identità agente: è esclusa, oppure nessun criterio si rivolge alle identità del carico di lavoro. Le credenziali rubate funzionano allora da qualsiasi rete e i rilevamenti di rischio non bloccano nulla.",
		Remediation: "Aggiungere un criterio di accesso condizionale per le identità del carico di lavoro (Microsoft Entra Workload ID Premium) che blocchi questa identità fuori dalle reti note o con rischio elevato, e limitare le esclusioni a casi designati e rivisti.",
	},
	"ja": {
		Title:       "条件付きアクセスの対象外にある特権ワークロード ID",
		Description: "有効な条件付きアクセス ポリシーのどれも、このシングルテナント アプリの特権サービス プリンシパル、またはこのエージェント ID を対象にしていません。除外されているか、ワークロード ID を対象とするポリシー自体がありません。そのため盗まれた資格情報はどのネットワークからでも使え、リスク検出も何もブロックしません。",
		Remediation: "ワークロード ID 向けの条件付きアクセス ポリシー (Microsoft Entra Workload ID Premium) を追加し、既知のネットワーク外やリスク上昇時にこの ID をブロックしてください。除外は名前を付けてレビューした場合に限ってください。",
	},
}

var textInstanceLock = map[string]alert.Text{
	"en": {
		Title:       "Multi-tenant app without the app instance property lock",
		Description: "This app registration is available to other organisations, and its instance property lock does not stop their administrators from adding credentials to its service principal in their tenants. A credential added there lets someone act as your app in that tenant with whatever it was granted, and the abuse is traced back to your app.",
		Remediation: "Turn on the app instance property lock for all properties, or at least for credentials used to verify and to sign tokens.",
	},
	"zh-TW": {
		Title:       "未啟用應用程式執行個體屬性鎖定的多租用戶應用程式",
		Description: "此應用程式註冊可供其他組織使用，但其執行個體屬性鎖定並未阻止這些組織的系統管理員在其租用戶中為其服務主體新增認證。在那裡新增的認證，可讓他人在該租用戶中以您的應用程式身分及其所獲授與的權限行事，而濫用行為會追溯到您的應用程式。",
		Remediation: "為所有屬性開啟應用程式執行個體屬性鎖定，至少要鎖定用於驗證與簽署權杖的認證。",
	},
	"it": {
		Title:       "App multi-tenant senza blocco delle proprietà dell'istanza",
		Description: "Questa registrazione dell'applicazione è disponibile ad altre organizzazioni, e il suo blocco delle proprietà dell'istanza non impedisce ai loro amministratori di aggiungere credenziali alla sua entità servizio nei loro tenant. Una credenziale aggiunta lì permette di agire come l'app dell'organizzazione in quel tenant con ciò che le è stato concesso, e l'abuso viene ricondotto all'app dell'organizzazione.",
		Remediation: "Attivare il blocco delle proprietà dell'istanza dell'app per tutte le proprietà, o almeno per le credenziali usate per verificare e firmare i token.",
	},
	"ja": {
		Title:       "アプリ インスタンス プロパティ ロックのないマルチテナント アプリ",
		Description: "このアプリケーションの登録は他の組織でも使用でき、そのインスタンス プロパティ ロックは、他組織の管理者が自組織のテナントでサービス プリンシパルに資格情報を追加することを防いでいません。そこで追加された資格情報により、そのテナントで付与された権限を使ってあなたのアプリとして操作でき、悪用はあなたのアプリに起因するものとして追跡されます。",
		Remediation: "アプリ インスタンス プロパティ ロックをすべてのプロパティ、少なくとも検証用と署名用の資格情報に対して有効にしてください。",
	},
}

var textUnverifiedApp = map[string]alert.Text{
	"en": {
		Title:       "Privileged third-party app without a verified publisher",
		Description: "An app registered by another organisation, whose publisher Microsoft has not verified, holds highly privileged application permissions or roles, or privileged delegated permissions for all users, in this tenant. Nothing ties the app to a known company, and its owners, not yours, control its credentials.",
		Remediation: "Confirm who publishes the app and why it needs this access; reduce the permissions or remove the app, and prefer vendors whose publisher is verified.",
	},
	"zh-TW": {
		Title:       "沒有已驗證發行者的特殊權限第三方應用程式",
		Description: "由其他組織註冊、發行者未經 Microsoft 驗證的應用程式，在此租用戶中持有高特殊權限的應用程式權限或角色，或代表所有使用者的特殊權限委派權限。沒有任何事物能將此應用程式連結到已知公司，而控制其認證的是其擁有者，而非您。",
		Remediation: "確認應用程式的發行者以及它為何需要此存取權；縮減權限或移除應用程式，並優先選擇發行者已驗證的廠商。",
	},
	"it": {
		Title:       "App di terze parti con privilegi senza editore verificato",
		Description: "Un'app registrata da un'altra organizzazione, il cui editore Microsoft non ha verificato, ha in questo tenant autorizzazioni dell'applicazione o ruoli con privilegi elevati, o autorizzazioni delegate con privilegi per tutti gli utenti. Niente lega l'app a un'azienda nota, e le sue credenziali le controllano i suoi proprietari, non l'organizzazione.",
		Remediation: "Verificare chi pubblica l'app e perché le serve questo accesso; ridurne le autorizzazioni o rimuoverla, e preferire fornitori con editore verificato.",
	},
	"ja": {
		Title:       "確認済みの発行元がない特権サードパーティ アプリ",
		Description: "別の組織が登録し、Microsoft が発行元を確認していないアプリが、このテナントで高い特権のアプリケーションのアクセス許可やロール、または全ユーザー対象の特権の委任されたアクセス許可を持っています。アプリを既知の企業と結び付けるものはなく、その資格情報を管理しているのはあなたではなくアプリの所有者です。",
		Remediation: "アプリの発行元とこのアクセスが必要な理由を確認してください。アクセス許可を減らすかアプリを削除し、発行元が確認済みのベンダーを優先してください。",
	},
}

var textThirdPartyPermission = map[string]alert.Text{
	"en": {
		Title:       "Another organisation's app holds application permissions",
		Description: "An app registered in another tenant holds application permissions on Microsoft Graph, Exchange Online, SharePoint Online or Azure AD Graph here. It reads or changes the tenant's data without any signed-in user, with credentials that organisation manages and you cannot see or rotate.",
		Remediation: "Review the vendor and what each permission is for; remove the permissions it does not need and prefer ones scoped to specific mailboxes, sites or resources.",
	},
	"zh-TW": {
		Title:       "其他組織的應用程式持有應用程式權限",
		Description: "在其他租用戶註冊的應用程式，在此持有 Microsoft Graph、Exchange Online、SharePoint Online 或 Azure AD Graph 的應用程式權限。它不需任何已登入的使用者即可讀取或變更租用戶資料，所用認證由該組織管理，您既看不到也無法輪替。",
		Remediation: "審查廠商及每項權限的用途；移除不需要的權限，並優先使用限定於特定信箱、網站或資源的權限。",
	},
	"it": {
		Title:       "L'app di un'altra organizzazione ha autorizzazioni dell'applicazione",
		Description: "Un'app registrata in un altro tenant ha qui autorizzazioni dell'applicazione su Microsoft Graph, Exchange Online, SharePoint Online o Azure AD Graph. Legge o modifica i dati del tenant senza alcun utente connesso, con credenziali che gestisce quell'organizzazione e che l'organizzazione non vede né può ruotare.",
		Remediation: "Valutare il fornitore e lo scopo di ciascuna autorizzazione; rimuovere quelle non necessarie e preferire autorizzazioni limitate a cassette postali, siti o risorse specifiche.",
	},
	"ja": {
		Title:       "他の組織のアプリがアプリケーションのアクセス許可を持っている",
		Description: "別のテナントで登録されたアプリが、このテナントで Microsoft Graph、Exchange Online、SharePoint Online、または Azure AD Graph のアプリケーションのアクセス許可を持っています。サインインしているユーザーなしでテナントのデータを読み書きし、その資格情報は相手の組織が管理しているため、こちらでは確認もローテーションもできません。",
		Remediation: "ベンダーと各アクセス許可の目的を確認し、不要なものは削除して、特定のメールボックス、サイト、リソースに限定したアクセス許可を優先してください。",
	},
}

var textConsentUnverified = map[string]alert.Text{
	"en": {
		Title:       "Users consented to a multi-tenant app without a verified publisher",
		Description: "Users granted delegated permissions, each for themselves, to an app registered in another organisation whose publisher Microsoft has not verified. This is how illicit consent grants look once they have worked; the evidence counts the users and lists the scopes.",
		Remediation: "Check what the app is and who uses it. If it is not wanted, revoke the grants and disable the service principal, and restrict user consent to verified publishers.",
	},
	"zh-TW": {
		Title:       "使用者同意了沒有已驗證發行者的多租用戶應用程式",
		Description: "使用者各自為自己，將委派權限授與在其他組織註冊、發行者未經 Microsoft 驗證的應用程式。不當同意授與得逞後就是這個樣子；證據中計算了使用者人數並列出範圍。",
		Remediation: "確認此應用程式是什麼以及誰在使用。若不需要，撤銷授與並停用服務主體，並將使用者同意限制為已驗證發行者。",
	},
	"it": {
		Title:       "Gli utenti hanno dato il consenso a un'app multi-tenant senza editore verificato",
		Description: "Alcuni utenti hanno concesso autorizzazioni delegate, ciascuno per sé, a un'app registrata in un'altra organizzazione il cui editore Microsoft non ha verificato. È l'aspetto delle concessioni di consenso illecite andate a segno; le evidenze contano gli utenti ed elencano gli ambiti.",
		Remediation: "Verificare che cos'è l'app e chi la usa. Se non è desiderata, revocare le concessioni e disabilitare l'entità servizio, e limitare il consenso degli utenti agli editori verificati.",
	},
	"ja": {
		Title:       "確認済みの発行元がないマルチテナント アプリにユーザーが同意",
		Description: "ユーザーがそれぞれ自分の分として、別の組織で登録され Microsoft が発行元を確認していないアプリに委任されたアクセス許可を付与しています。不正な同意付与が成功した後はこのように見えます。証拠ではユーザー数とスコープが示されます。",
		Remediation: "アプリが何でだれが使っているかを確認してください。不要であれば許可を取り消してサービス プリンシパルを無効にし、ユーザーの同意を確認済みの発行元に限定してください。",
	},
}

var textNoSponsor = map[string]alert.Text{
	"en": {
		Title:       "Agent identity without a sponsor",
		Description: "This Microsoft Entra Agent ID object (an agent identity, a blueprint or its principal) has no sponsor, the person who answers for what the agent does and whether it should still exist. An agent nobody sponsors keeps its access after its purpose is gone.",
		Remediation: "Add at least one sponsor, a user or group who can review the agent's access and retire it, or delete the agent if nobody will.",
	},
	"zh-TW": {
		Title:       "沒有贊助者的代理程式身分識別",
		Description: "此 Microsoft Entra 代理程式識別碼物件（代理程式身分識別、藍圖或其主體）沒有贊助者，也就是為代理程式的行為及其是否仍應存在負責的人。無人贊助的代理程式，在用途結束後仍會保有其存取權。",
		Remediation: "至少新增一位能審查代理程式存取權並將其淘汰的使用者或群組作為贊助者；若無人願意，請刪除此代理程式。",
	},
	"it": {
		Title:       "Identità agente senza sponsor",
		Description: "Questo oggetto di Microsoft Entra Agent ID (un'identità agente, un progetto o la sua entità) non ha sponsor, cioè la persona che risponde di ciò che l'agente fa e del fatto che debba ancora esistere. Un agente che nessuno sponsorizza conserva i suoi accessi anche quando il suo scopo è finito.",
		Remediation: "Aggiungere almeno uno sponsor, un utente o un gruppo in grado di rivedere gli accessi dell'agente e di dismetterlo, oppure eliminare l'agente se nessuno lo farà.",
	},
	"ja": {
		Title:       "スポンサーのいないエージェント ID",
		Description: "この Microsoft Entra エージェント ID オブジェクト (エージェント ID、ブループリント、またはそのプリンシパル) にはスポンサーがいません。スポンサーは、エージェントの行動と、エージェントを存続させるべきかに責任を持つ人です。スポンサーのいないエージェントは、目的がなくなった後もアクセス権を持ち続けます。",
		Remediation: "エージェントのアクセスをレビューして廃止できるユーザーまたはグループを、少なくとも 1 人スポンサーとして追加してください。だれも引き受けなければエージェントを削除してください。",
	},
}
