package posture

import "github.com/appwatch/appwatch/internal/alert"

// Texts of the usage, tenant setting and app management policy checks.

var textAppDormant = map[string]alert.Text{
	"en": {
		Title:       "App holds access but has not signed in for months",
		Description: "The service principal still holds credentials, permissions or roles, but the sign-in activity report shows no sign-in within the dormancy period (or none at all). An unused app with live access is a quiet place for an attacker to start, and nobody notices when it begins signing in again.",
		Remediation: "Confirm with the app's owner whether it is still needed. If not, disable the service principal, then remove its credentials, permissions and roles, and delete it after a grace period.",
	},
	"zh-TW": {
		Title:       "應用程式仍保有存取權但已數月未登入",
		Description: "此服務主體仍持有認證、權限或角色，但登入活動報告顯示在閒置期間內沒有任何登入（或從未登入）。仍保有存取權卻無人使用的應用程式，是攻擊者悄悄起步的地方，它再次開始登入時也不會有人察覺。",
		Remediation: "向應用程式擁有者確認是否仍需要它。若不需要，先停用服務主體，再移除其認證、權限與角色，經過寬限期後刪除。",
	},
	"it": {
		Title:       "App con accessi attivi ma senza accessi da mesi",
		Description: "L'entità servizio ha ancora credenziali, autorizzazioni o ruoli, ma il report delle attività di accesso non mostra accessi nel periodo di inattività (o non ne mostra affatto). Un'app inutilizzata con accessi ancora validi è un punto di partenza silenzioso per un attaccante, e nessuno se ne accorge quando ricomincia ad accedere.",
		Remediation: "Verificare con il proprietario dell'app se serve ancora. In caso contrario disabilitare l'entità servizio, poi rimuoverne credenziali, autorizzazioni e ruoli ed eliminarla dopo un periodo di tolleranza.",
	},
	"ja": {
		Title:       "アクセス権を持ったまま数か月サインインしていないアプリ",
		Description: "このサービス プリンシパルは資格情報、アクセス許可、ロールを保持していますが、サインイン アクティビティ レポートでは非アクティブ期間内のサインインがありません (または一度もありません)。使われていないのにアクセス権が有効なアプリは攻撃者が気付かれずに足場にできる場所であり、再びサインインし始めてもだれも気付きません。",
		Remediation: "アプリの所有者にまだ必要か確認してください。不要であればサービス プリンシパルを無効にし、資格情報、アクセス許可、ロールを削除してから、猶予期間の後に削除してください。",
	},
}

var textCredentialUnused = map[string]alert.Text{
	"en": {
		Title:       "App credential not used to sign in for months",
		Description: "A current secret or certificate on the application or service principal has signed nothing in during the dormancy period, according to the credential activity report. A credential nobody uses is one nobody watches: if it leaks, its first use is the attacker's.",
		Remediation: "Remove the unused credential. If the workload needs one later, issue a new certificate or move it to a managed identity or a federated credential.",
	},
	"zh-TW": {
		Title:       "數月未用於登入的應用程式認證",
		Description: "根據認證活動報告，應用程式或服務主體上有效的祕密或憑證在閒置期間內沒有用來登入過。沒人使用的認證也沒人監看：一旦外洩，第一次使用它的就是攻擊者。",
		Remediation: "移除未使用的認證。若日後工作負載需要，請發行新的憑證，或改用受控身分識別或同盟認證。",
	},
	"it": {
		Title:       "Credenziale dell'app non usata per accedere da mesi",
		Description: "Secondo il report delle attività delle credenziali, un segreto o un certificato valido dell'applicazione o dell'entità servizio non è stato usato per alcun accesso nel periodo di inattività. Una credenziale che nessuno usa è una credenziale che nessuno sorveglia: se trapela, il primo a usarla è l'attaccante.",
		Remediation: "Rimuovere la credenziale inutilizzata. Se in futuro il carico di lavoro ne avrà bisogno, emettere un nuovo certificato o passare a un'identità gestita o a una credenziale federata.",
	},
	"ja": {
		Title:       "数か月サインインに使われていないアプリの資格情報",
		Description: "資格情報アクティビティ レポートによると、アプリケーションまたはサービス プリンシパルの有効なシークレットまたは証明書は、非アクティブ期間内に一度もサインインに使われていません。だれも使わない資格情報はだれも監視していない資格情報であり、漏えいした場合、最初に使うのは攻撃者です。",
		Remediation: "使われていない資格情報を削除してください。後でワークロードに必要になった場合は、新しい証明書を発行するか、マネージド ID またはフェデレーション資格情報に移行してください。",
	},
}

var textPermissionUnused = map[string]alert.Text{
	"en": {
		Title:       "Permissions granted to an app it does not use",
		Description: "The app holds application permissions but has made no app-only sign-in during the dormancy period, or holds delegated grants but has made no sign-in on behalf of a user. Permissions an app never exercises only serve whoever takes over its credentials.",
		Remediation: "Remove the application permissions or delegated grants the app does not use, after checking with its owner; grant them again through consent if it needs them later.",
	},
	"zh-TW": {
		Title:       "應用程式未使用的已授與權限",
		Description: "此應用程式持有應用程式權限，卻在閒置期間內沒有任何僅限應用程式的登入；或持有委派授與，卻沒有代表使用者的登入。應用程式從不使用的權限，只會讓接管其認證的人受益。",
		Remediation: "與擁有者確認後，移除應用程式未使用的應用程式權限或委派授與；日後若需要，再透過同意重新授與。",
	},
	"it": {
		Title:       "Autorizzazioni concesse a un'app che non le usa",
		Description: "L'app ha autorizzazioni dell'applicazione ma non ha effettuato accessi solo app nel periodo di inattività, oppure ha concessioni delegate ma non ha effettuato accessi per conto di un utente. Le autorizzazioni che un'app non usa mai servono solo a chi si impadronisce delle sue credenziali.",
		Remediation: "Dopo averlo verificato con il proprietario, rimuovere le autorizzazioni dell'applicazione o le concessioni delegate che l'app non usa; se in futuro serviranno, concederle di nuovo tramite consenso.",
	},
	"ja": {
		Title:       "アプリが使っていない付与済みのアクセス許可",
		Description: "このアプリはアプリケーションのアクセス許可を持っているのに非アクティブ期間内にアプリのみのサインインがない、または委任された許可を持っているのにユーザーに代わるサインインがありません。アプリが一度も使わないアクセス許可は、その資格情報を奪った者の役にしか立ちません。",
		Remediation: "所有者に確認したうえで、アプリが使っていないアプリケーションのアクセス許可または委任された許可を削除してください。後で必要になれば同意を通じて再度付与してください。",
	},
}

var textRecommendation = map[string]alert.Text{
	"en": {
		Title:       "Microsoft Entra recommendation about apps is open",
		Description: "Microsoft Entra ID lists an active recommendation about the tenant's applications, such as unused apps or credentials, apps without owners or a verified publisher, or apps still on Azure AD Graph or ADAL. The evidence names the apps it counts.",
		Remediation: "Work through the named apps as the recommendation describes in the Microsoft Entra admin center, then mark it completed; dismiss it there only with a recorded reason.",
	},
	"zh-TW": {
		Title:       "有關應用程式的 Microsoft Entra 建議尚未處理",
		Description: "Microsoft Entra ID 列出一項有關租用戶應用程式的作用中建議，例如未使用的應用程式或認證、沒有擁有者或已驗證發行者的應用程式，或仍使用 Azure AD Graph 或 ADAL 的應用程式。證據中列出它計入的應用程式。",
		Remediation: "依 Microsoft Entra 系統管理中心內的建議說明處理列出的應用程式，然後將其標示為完成；只有在記錄理由後才可在該處關閉它。",
	},
	"it": {
		Title:       "Raccomandazione di Microsoft Entra sulle app ancora aperta",
		Description: "Microsoft Entra ID elenca una raccomandazione attiva sulle applicazioni del tenant, ad esempio app o credenziali inutilizzate, app senza proprietari o senza editore verificato, o app che usano ancora Azure AD Graph o ADAL. Le evidenze indicano le app interessate.",
		Remediation: "Intervenire sulle app indicate come descritto dalla raccomandazione nell'interfaccia di amministrazione di Microsoft Entra, poi contrassegnarla come completata; ignorarla solo registrandone il motivo.",
	},
	"ja": {
		Title:       "アプリに関する Microsoft Entra の推奨事項が未対応",
		Description: "Microsoft Entra ID が、テナントのアプリケーションに関するアクティブな推奨事項を示しています。使われていないアプリや資格情報、所有者や確認済みの発行元がないアプリ、Azure AD Graph や ADAL をまだ使っているアプリなどです。証拠には対象のアプリが示されます。",
		Remediation: "Microsoft Entra 管理センターの推奨事項の説明に従って対象のアプリに対処し、完了としてマークしてください。無視する場合は理由を記録してください。",
	},
}

var textUsersRegister = map[string]alert.Text{
	"en": {
		Title:       "Any user may register applications",
		Description: "The authorization policy lets every member user register apps. Each registration makes its creator the owner, able to add credentials and request permissions, so apps appear outside any review, including ones built to phish consent from colleagues.",
		Remediation: "Set \"Users can register applications\" to No, and give the Application Developer role, or a change process, to those who build apps.",
	},
	"zh-TW": {
		Title:       "任何使用者都可以註冊應用程式",
		Description: "授權原則允許每位成員使用者註冊應用程式。每個註冊都讓建立者成為擁有者，能新增認證並要求權限，因此應用程式會在任何審查之外出現，包括專為向同事騙取同意而設計的應用程式。",
		Remediation: "將「使用者可以註冊應用程式」設為「否」，並將應用程式開發人員角色或變更流程提供給需要建置應用程式的人。",
	},
	"it": {
		Title:       "Qualsiasi utente può registrare applicazioni",
		Description: "Il criterio di autorizzazione consente a ogni utente membro di registrare app. Ogni registrazione rende il suo autore proprietario, in grado di aggiungere credenziali e chiedere autorizzazioni, quindi le app nascono fuori da qualsiasi revisione, comprese quelle create per carpire il consenso ai colleghi.",
		Remediation: "Impostare \"Gli utenti possono registrare applicazioni\" su No e assegnare il ruolo Sviluppatore applicazioni, o un processo di modifica, a chi sviluppa app.",
	},
	"ja": {
		Title:       "すべてのユーザーがアプリケーションを登録できる",
		Description: "承認ポリシーにより、すべてのメンバー ユーザーがアプリを登録できます。登録した人はそのアプリの所有者となり、資格情報を追加したりアクセス許可を要求したりできるため、同僚から同意をだまし取るためのアプリも含め、レビューの外でアプリが作られます。",
		Remediation: "[ユーザーはアプリケーションを登録できる] を [いいえ] にし、アプリを作る人にはアプリケーション開発者ロールまたは変更手続きを用意してください。",
	},
}

var textUserConsent = map[string]alert.Text{
	"en": {
		Title:       "Users may consent to apps beyond low-risk permissions",
		Description: "The app consent policy assigned to users lets them grant apps access to their data without an administrator: for any app (Microsoft's legacy default), or under a custom policy that admits unverified publishers, application permissions or permissions not classified low. Illicit consent grants start here.",
		Remediation: "Allow user consent only for apps from verified publishers with permissions classified low (the Microsoft-managed or low-risk policy), or turn it off, and turn on the admin consent workflow for the rest.",
	},
	"zh-TW": {
		Title:       "使用者可同意低風險權限以外的應用程式",
		Description: "指派給使用者的應用程式同意原則，讓他們不經系統管理員即可授與應用程式存取其資料：可同意任何應用程式（Microsoft 的舊版預設），或依據允許未驗證發行者、應用程式權限或非低風險權限的自訂原則。不當的同意授與就是從這裡開始。",
		Remediation: "只允許使用者同意已驗證發行者且權限分類為低的應用程式（Microsoft 管理或低風險原則），或完全關閉使用者同意，並為其他情況開啟管理員同意工作流程。",
	},
	"it": {
		Title:       "Gli utenti possono dare il consenso ad app oltre le autorizzazioni a basso rischio",
		Description: "Il criterio di consenso delle app assegnato agli utenti permette loro di concedere alle app l'accesso ai propri dati senza un amministratore: a qualsiasi app (l'impostazione predefinita legacy di Microsoft) o con un criterio personalizzato che ammette editori non verificati, autorizzazioni dell'applicazione o autorizzazioni non classificate come basse. Le concessioni di consenso illecite partono da qui.",
		Remediation: "Consentire il consenso degli utenti solo per app di editori verificati con autorizzazioni classificate basse (il criterio gestito da Microsoft o a basso rischio), oppure disattivarlo, e attivare il flusso di lavoro di consenso amministratore per il resto.",
	},
	"ja": {
		Title:       "ユーザーが低リスク以外のアクセス許可でアプリに同意できる",
		Description: "ユーザーに割り当てられたアプリの同意ポリシーにより、ユーザーは管理者を介さずにアプリへ自分のデータへのアクセスを許可できます。対象は任意のアプリ (Microsoft の従来の既定)、または未確認の発行元、アプリケーションのアクセス許可、低以外に分類されたアクセス許可を認めるカスタム ポリシーです。不正な同意付与はここから始まります。",
		Remediation: "ユーザーの同意は、確認済みの発行元のアプリで低に分類されたアクセス許可に限る (Microsoft 管理または低リスクのポリシー) か、無効にし、それ以外には管理者の同意ワークフローを有効にしてください。",
	},
}

var textRiskyConsent = map[string]alert.Text{
	"en": {
		Title:       "Risk-based step-up consent is turned off",
		Description: "Users may consent to apps, and the tenant does not block their consent when Microsoft detects a risky request (BlockUserConsentForRiskyApps is false, or the authorization policy allows consent to risky apps). The consents the guide expects to see stopped for risk go through instead.",
		Remediation: "Set BlockUserConsentForRiskyApps to true in the consent policy settings so that risky requests need an administrator.",
	},
	"zh-TW": {
		Title:       "風險型升級同意已關閉",
		Description: "使用者可同意應用程式，而當 Microsoft 偵測到有風險的要求時，租用戶不會封鎖其同意（BlockUserConsentForRiskyApps 為 false，或授權原則允許同意有風險的應用程式）。指南預期會因風險而被擋下的同意，反而會通過。",
		Remediation: "在同意原則設定中將 BlockUserConsentForRiskyApps 設為 true，使有風險的要求必須由系統管理員處理。",
	},
	"it": {
		Title:       "Il consenso con verifica basata sul rischio è disattivato",
		Description: "Gli utenti possono dare il consenso alle app e il tenant non lo blocca quando Microsoft rileva una richiesta rischiosa (BlockUserConsentForRiskyApps è false, oppure il criterio di autorizzazione consente il consenso ad app rischiose). I consensi che la guida si aspetta di vedere fermati per rischio passano invece.",
		Remediation: "Impostare BlockUserConsentForRiskyApps su true nelle impostazioni dei criteri di consenso, in modo che le richieste rischiose richiedano un amministratore.",
	},
	"ja": {
		Title:       "リスクに基づくステップアップ同意が無効",
		Description: "ユーザーはアプリに同意でき、Microsoft が危険な要求を検出してもテナントはその同意をブロックしません (BlockUserConsentForRiskyApps が false、または承認ポリシーが危険なアプリへの同意を許可)。ガイドがリスクにより停止されると想定している同意が、そのまま通ります。",
		Remediation: "同意ポリシーの設定で BlockUserConsentForRiskyApps を true にし、危険な要求には管理者が対応するようにしてください。",
	},
}

var textAdminConsentWorkflow = map[string]alert.Text{
	"en": {
		Title:       "Admin consent workflow is off or has no reviewers",
		Description: "Users who may not consent to an app have no way to ask an administrator through Microsoft Entra ID, or their requests reach nobody. Requests then travel by chat or email, and admins grant tenant-wide consent in a hurry, outside any record.",
		Remediation: "Turn on the admin consent workflow with named reviewers (users, groups or roles), notifications and an expiry for requests.",
	},
	"zh-TW": {
		Title:       "管理員同意工作流程已關閉或沒有審查者",
		Description: "無法自行同意應用程式的使用者，沒有辦法透過 Microsoft Entra ID 向系統管理員提出要求，或其要求無人接收。要求於是改經聊天或電子郵件傳遞，系統管理員在倉促間於記錄之外授與全租用戶同意。",
		Remediation: "開啟管理員同意工作流程，並指定審查者（使用者、群組或角色）、通知及要求的到期時間。",
	},
	"it": {
		Title:       "Flusso di lavoro di consenso amministratore disattivato o senza revisori",
		Description: "Gli utenti che non possono dare il consenso a un'app non hanno modo di chiederlo a un amministratore tramite Microsoft Entra ID, oppure le loro richieste non arrivano a nessuno. Le richieste passano allora per chat o email, e gli amministratori concedono in fretta il consenso per tutto il tenant, senza traccia.",
		Remediation: "Attivare il flusso di lavoro di consenso amministratore con revisori designati (utenti, gruppi o ruoli), notifiche e una scadenza per le richieste.",
	},
	"ja": {
		Title:       "管理者の同意ワークフローが無効またはレビュー担当者がいない",
		Description: "アプリに同意できないユーザーが Microsoft Entra ID を通じて管理者に依頼する手段がない、または依頼がだれにも届きません。依頼はチャットやメールで伝わり、管理者は記録の残らないところで急いでテナント全体の同意を付与しがちです。",
		Remediation: "管理者の同意ワークフローを有効にし、レビュー担当者 (ユーザー、グループ、ロール)、通知、要求の有効期限を設定してください。",
	},
}

var textGroupOwnerConsent = map[string]alert.Text{
	"en": {
		Title:       "Group and team owners may consent to apps",
		Description: "Owners of groups and teams may grant apps access to the data of what they own (the legacy group-specific consent setting, or an owned-resource consent policy other than Microsoft's managed ones). Any group owner can then hand a third-party app every member's messages or files in that group.",
		Remediation: "Turn off group owner consent, or limit it with an app consent policy to verified publishers and low-risk permissions, or to the members of a named group.",
	},
	"zh-TW": {
		Title:       "群組與小組擁有者可同意應用程式",
		Description: "群組與小組的擁有者可授與應用程式存取其所擁有資源的資料（舊版的群組特定同意設定，或 Microsoft 管理原則以外的擁有資源同意原則）。任何群組擁有者都可能因此把該群組所有成員的訊息或檔案交給第三方應用程式。",
		Remediation: "關閉群組擁有者同意，或以應用程式同意原則將其限制為已驗證發行者與低風險權限，或限制為指定群組的成員。",
	},
	"it": {
		Title:       "I proprietari di gruppi e team possono dare il consenso alle app",
		Description: "I proprietari di gruppi e team possono concedere alle app l'accesso ai dati di ciò che possiedono (l'impostazione legacy di consenso specifico per gruppo, o un criterio di consenso per risorse possedute diverso da quelli gestiti da Microsoft). Qualsiasi proprietario di gruppo può così consegnare a un'app di terze parti i messaggi o i file di tutti i membri del gruppo.",
		Remediation: "Disattivare il consenso dei proprietari di gruppi, oppure limitarlo con un criterio di consenso delle app ad editori verificati e autorizzazioni a basso rischio, o ai membri di un gruppo designato.",
	},
	"ja": {
		Title:       "グループとチームの所有者がアプリに同意できる",
		Description: "グループとチームの所有者は、所有するリソースのデータへのアクセスをアプリに許可できます (従来のグループ固有の同意設定、または Microsoft 管理以外の所有リソースの同意ポリシー)。そのため、どのグループ所有者でも、グループの全メンバーのメッセージやファイルをサードパーティ アプリに渡せます。",
		Remediation: "グループ所有者の同意を無効にするか、アプリの同意ポリシーで確認済みの発行元と低リスクのアクセス許可、または指定したグループのメンバーに制限してください。",
	},
}

var textAppPolicyWeak = map[string]alert.Text{
	"en": {
		Title:       "App management policy does not restrict credentials",
		Description: "The tenant's default app management policy is off, missing, or leaves secrets and certificates without the restrictions the tenant's own limits call for (no ban on secrets and no lifetime limit, no limit on certificates, or a limit longer than the policy file's); or a policy applied to chosen apps is turned off. Nothing then stops a long-lived secret being added to any app.",
		Remediation: "Enable the default app management policy: block password credentials or cap their lifetime, block custom passwords, and cap certificate lifetimes within the tenant's limits.",
	},
	"zh-TW": {
		Title:       "應用程式管理原則未限制認證",
		Description: "租用戶的預設應用程式管理原則已關閉、不存在，或未依租用戶本身的上限限制祕密與憑證（未禁止祕密也未限制其存留期、未限制憑證，或上限長於原則檔）；或套用到特定應用程式的原則已關閉。如此一來，沒有任何機制能阻止在任何應用程式上新增存留期過長的祕密。",
		Remediation: "啟用預設應用程式管理原則：封鎖新增用戶端祕密或限制其存留期、封鎖自訂祕密，並在租用戶上限內限制憑證的存留期。",
	},
	"it": {
		Title:       "Il criterio di gestione delle app non limita le credenziali",
		Description: "Il criterio predefinito di gestione delle app del tenant è disattivato, assente o lascia segreti e certificati senza le restrizioni richieste dai limiti del tenant (nessun divieto dei segreti né limite di durata, nessun limite sui certificati, o un limite più lungo di quello del file dei criteri); oppure un criterio applicato ad app specifiche è disattivato. Niente impedisce allora di aggiungere un segreto di lunga durata a qualsiasi app.",
		Remediation: "Attivare il criterio predefinito di gestione delle app: bloccare le credenziali password o limitarne la durata, bloccare le password personalizzate e limitare la durata dei certificati entro i limiti del tenant.",
	},
	"ja": {
		Title:       "アプリ管理ポリシーが資格情報を制限していない",
		Description: "テナントの既定のアプリ管理ポリシーが無効または存在しないか、テナント自身の上限が求める制限をシークレットと証明書にかけていません (シークレットの禁止も有効期間の上限もない、証明書の上限がない、上限がポリシー ファイルより長い)。または特定のアプリに適用したポリシーが無効です。その結果、どのアプリにも長期間有効なシークレットを追加できてしまいます。",
		Remediation: "既定のアプリ管理ポリシーを有効にし、パスワード資格情報をブロックするか有効期間を制限し、カスタム パスワードをブロックし、証明書の有効期間をテナントの上限内に制限してください。",
	},
}

var textAppPolicyExempts = map[string]alert.Text{
	"en": {
		Title:       "App management restriction spares apps created before a date",
		Description: "A restriction of the default app management policy applies only to apps created after its restrictForAppsCreatedAfterDateTime. Every app registered before that date is exempt and can still be given the secrets or long-lived certificates the restriction forbids, and those apps are usually the oldest and most privileged.",
		Remediation: "Move the date back (or clear it) once the exempt apps listed have been migrated, or apply a per-app policy to those that cannot move yet, and track them until they do.",
	},
	"zh-TW": {
		Title:       "應用程式管理限制豁免了特定日期前建立的應用程式",
		Description: "預設應用程式管理原則的某項限制，只套用於 restrictForAppsCreatedAfterDateTime 之後建立的應用程式。該日期前註冊的每個應用程式都被豁免，仍可被加入該限制所禁止的祕密或存留期過長的憑證，而這些應用程式通常是最舊、權限最高的。",
		Remediation: "在列出的豁免應用程式完成遷移後，將日期往前調整（或清除）；對暫時無法遷移的應用程式套用個別原則，並持續追蹤直到完成。",
	},
	"it": {
		Title:       "Una restrizione di gestione delle app esenta le app create prima di una data",
		Description: "Una restrizione del criterio predefinito di gestione delle app si applica solo alle app create dopo il suo restrictForAppsCreatedAfterDateTime. Ogni app registrata prima di quella data ne è esente e può ancora ricevere i segreti o i certificati di lunga durata che la restrizione vieta, e quelle app sono di solito le più vecchie e quelle con più privilegi.",
		Remediation: "Anticipare la data (o rimuoverla) dopo aver migrato le app esenti elencate, oppure applicare un criterio per app a quelle che non possono ancora essere migrate, e seguirle fino alla migrazione.",
	},
	"ja": {
		Title:       "アプリ管理の制限が特定日より前に作られたアプリを除外している",
		Description: "既定のアプリ管理ポリシーのある制限は、restrictForAppsCreatedAfterDateTime より後に作られたアプリにしか適用されません。その日より前に登録されたアプリはすべて除外され、制限が禁止しているシークレットや長期間有効な証明書を引き続き追加できます。そうしたアプリは多くの場合、最も古く最も特権の高いアプリです。",
		Remediation: "一覧の除外アプリを移行したら日付を前倒しにする (または削除する) か、まだ移行できないアプリにはアプリ単位のポリシーを適用し、移行が終わるまで追跡してください。",
	},
}
