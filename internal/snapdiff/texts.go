package snapdiff

import "github.com/appwatch/appwatch/internal/alert"

// The texts of each kind of change in English, Traditional Chinese,
// Italian and Japanese. They are read only; Rules hands out copies.

var textCredential = map[string]alert.Text{
	"en": {
		Title:       "Credential added to an app (found by comparing snapshots)",
		Description: "A certificate or client secret is on this application or service principal now that was not there in the previous snapshot. Whoever holds it can sign in as the app with every permission the app has. appwatch found it by comparing two snapshots, so the audit record of the change may be missing from the logs it reads, or has not arrived yet.",
		Remediation: "Find who added the credential and why: look for the audit record between the two snapshot times, and ask the app's owners. If nobody can account for it, remove the credential, review the app's recent sign-ins, and rotate the credentials it legitimately uses.",
	},
	"zh-TW": {
		Title:       "應用程式新增了認證（由快照比對發現）",
		Description: "此應用程式或服務主體上出現了上一個快照中沒有的憑證或用戶端密碼。持有它的人可以用該應用程式的所有權限以應用程式身分登入。appwatch 是比對兩個快照時發現的，因此這項變更的稽核記錄可能不在它讀取的記錄中，或尚未送達。",
		Remediation: "查明是誰新增了此認證以及原因：在兩個快照時間之間尋找稽核記錄，並詢問應用程式的擁有者。若無人能說明，請移除此認證、檢查應用程式最近的登入，並輪替其正當使用的認證。",
	},
	"it": {
		Title:       "Credenziale aggiunta a un'app (trovata confrontando snapshot)",
		Description: "Su questa applicazione o entità servizio c'è ora un certificato o un segreto client che nello snapshot precedente non c'era. Chi lo possiede può accedere come l'app con tutte le sue autorizzazioni. appwatch l'ha trovato confrontando due snapshot: il record di controllo della modifica potrebbe mancare dai log che legge, o non essere ancora arrivato.",
		Remediation: "Scoprire chi ha aggiunto la credenziale e perché: cercare il record di controllo tra i due orari degli snapshot e chiedere ai proprietari dell'app. Se nessuno sa spiegarla, rimuovere la credenziale, esaminare gli accessi recenti dell'app e ruotare le credenziali che usa legittimamente.",
	},
	"ja": {
		Title:       "アプリに資格情報が追加された (スナップショットの比較で検出)",
		Description: "このアプリケーションまたはサービス プリンシパルに、前回のスナップショットにはなかった証明書またはクライアント シークレットがあります。それを持つ者は、アプリのすべてのアクセス許可を使ってアプリとしてサインインできます。appwatch は 2 つのスナップショットの比較で検出したため、この変更の監査レコードは読み取るログに含まれていないか、まだ届いていない可能性があります。",
		Remediation: "誰が何のために資格情報を追加したかを確認してください。2 つのスナップショットの時刻の間の監査レコードを探し、アプリの所有者に問い合わせます。説明がつかない場合は資格情報を削除し、アプリの最近のサインインを確認して、正当に使っている資格情報をローテーションしてください。",
	},
}

var textRedirect = map[string]alert.Text{
	"en": {
		Title:       "Redirect URI added or removed (found by comparing snapshots)",
		Description: "The list of redirect URIs of this application differs from the previous snapshot. A redirect URI decides where sign-in responses, with their codes and tokens, are sent; one that is not HTTPS, holds a wildcard or points at a domain the tenant does not control can hand them to someone else. The change was found by comparing two snapshots.",
		Remediation: "Confirm the change with the app's owners and its change record. Remove a redirect URI nobody asked for, and any that is not HTTPS, has a wildcard or is on a domain outside the tenant's control.",
	},
	"zh-TW": {
		Title:       "新增或移除了重新導向 URI（由快照比對發現）",
		Description: "此應用程式的重新導向 URI 清單與上一個快照不同。重新導向 URI 決定登入回應（連同授權碼與權杖）送往何處；不是 HTTPS、含萬用字元或指向租用戶無法控制之網域的 URI，可能把它們交給他人。此變更是比對兩個快照時發現的。",
		Remediation: "向應用程式擁有者及變更記錄確認此變更。移除沒有人要求的重新導向 URI，以及任何不是 HTTPS、含萬用字元或位於租用戶無法控制之網域的 URI。",
	},
	"it": {
		Title:       "URI di reindirizzamento aggiunto o rimosso (trovato confrontando snapshot)",
		Description: "L'elenco degli URI di reindirizzamento di questa applicazione è diverso da quello dello snapshot precedente. Un URI di reindirizzamento decide dove vanno le risposte di accesso, con codici e token; uno non HTTPS, con caratteri jolly o su un dominio che il tenant non controlla può consegnarli ad altri. La modifica è stata trovata confrontando due snapshot.",
		Remediation: "Verificare la modifica con i proprietari dell'app e la relativa richiesta di modifica. Rimuovere gli URI di reindirizzamento che nessuno ha chiesto e quelli non HTTPS, con caratteri jolly o su domini fuori dal controllo del tenant.",
	},
	"ja": {
		Title:       "リダイレクト URI が追加または削除された (スナップショットの比較で検出)",
		Description: "このアプリケーションのリダイレクト URI の一覧が前回のスナップショットと異なります。リダイレクト URI は、コードやトークンを含むサインイン応答の送信先を決めます。HTTPS でないもの、ワイルドカードを含むもの、テナントが管理していないドメインを指すものは、それらを第三者に渡すおそれがあります。この変更は 2 つのスナップショットの比較で検出されました。",
		Remediation: "アプリの所有者と変更記録で変更を確認してください。誰も依頼していないリダイレクト URI と、HTTPS でないもの、ワイルドカードを含むもの、テナントが管理していないドメインのものは削除してください。",
	},
}

var textIdentifier = map[string]alert.Text{
	"en": {
		Title:       "Application ID URI added or removed (found by comparing snapshots)",
		Description: "The identifier URIs of this application differ from the previous snapshot. Identifier URIs name the API that tokens are issued for; one on a domain the tenant does not control, or that no longer resolves, can be claimed by someone else. The change was found by comparing two snapshots.",
		Remediation: "Confirm the change with the app's owners and its change record, and remove an identifier URI nobody asked for or one on a domain outside the tenant's control.",
	},
	"zh-TW": {
		Title:       "新增或移除了應用程式識別碼 URI（由快照比對發現）",
		Description: "此應用程式的識別碼 URI 與上一個快照不同。識別碼 URI 代表權杖所針對的 API；位於租用戶無法控制之網域、或已無法解析的 URI，可能被他人搶先註冊。此變更是比對兩個快照時發現的。",
		Remediation: "向應用程式擁有者及變更記錄確認此變更，並移除沒有人要求、或位於租用戶無法控制之網域的識別碼 URI。",
	},
	"it": {
		Title:       "URI ID applicazione aggiunto o rimosso (trovato confrontando snapshot)",
		Description: "Gli URI identificatore di questa applicazione sono diversi da quelli dello snapshot precedente. Gli URI identificatore indicano l'API per cui vengono emessi i token; uno su un dominio che il tenant non controlla, o che non si risolve più, può essere rivendicato da altri. La modifica è stata trovata confrontando due snapshot.",
		Remediation: "Verificare la modifica con i proprietari dell'app e la relativa richiesta di modifica, e rimuovere gli URI identificatore che nessuno ha chiesto o che stanno su domini fuori dal controllo del tenant.",
	},
	"ja": {
		Title:       "アプリケーション ID URI が追加または削除された (スナップショットの比較で検出)",
		Description: "このアプリケーションの識別子 URI が前回のスナップショットと異なります。識別子 URI はトークンの発行先となる API を示します。テナントが管理していないドメインのものや名前解決できなくなったものは、第三者に取得されるおそれがあります。この変更は 2 つのスナップショットの比較で検出されました。",
		Remediation: "アプリの所有者と変更記録で変更を確認し、誰も依頼していない識別子 URI や、テナントが管理していないドメインの識別子 URI を削除してください。",
	},
}

var textLogout = map[string]alert.Text{
	"en": {
		Title:       "Logout URL changed (found by comparing snapshots)",
		Description: "The front-channel logout URL of this application differs from the previous snapshot. A blank logout URL, or one that points at a place that does not exist or is not the app's, keeps users' sessions in the app alive after they sign out. The change was found by comparing two snapshots.",
		Remediation: "Confirm the change with the app's owners and its change record, and set the logout URL back to an HTTPS address of the app if nobody asked for it.",
	},
	"zh-TW": {
		Title:       "登出 URL 已變更（由快照比對發現）",
		Description: "此應用程式的前端通道登出 URL 與上一個快照不同。登出 URL 為空白，或指向不存在、不屬於該應用程式的位置，會讓使用者登出後在應用程式中的工作階段仍然有效。此變更是比對兩個快照時發現的。",
		Remediation: "向應用程式擁有者及變更記錄確認此變更；若沒有人要求，請將登出 URL 改回應用程式的 HTTPS 位址。",
	},
	"it": {
		Title:       "URL di disconnessione modificato (trovato confrontando snapshot)",
		Description: "L'URL di disconnessione front-channel di questa applicazione è diverso da quello dello snapshot precedente. Un URL vuoto, o che punta a una destinazione inesistente o non dell'app, lascia attive le sessioni degli utenti nell'app dopo la disconnessione. La modifica è stata trovata confrontando due snapshot.",
		Remediation: "Verificare la modifica con i proprietari dell'app e la relativa richiesta di modifica; se nessuno l'ha chiesta, riportare l'URL di disconnessione a un indirizzo HTTPS dell'app.",
	},
	"ja": {
		Title:       "ログアウト URL が変更された (スナップショットの比較で検出)",
		Description: "このアプリケーションのフロントチャネル ログアウト URL が前回のスナップショットと異なります。ログアウト URL が空欄の場合や、存在しない場所・アプリのものではない場所を指す場合、ユーザーがサインアウトしてもアプリでのセッションが残ります。この変更は 2 つのスナップショットの比較で検出されました。",
		Remediation: "アプリの所有者と変更記録で変更を確認し、誰も依頼していなければ、ログアウト URL をアプリの HTTPS アドレスに戻してください。",
	},
}

var textOwner = map[string]alert.Text{
	"en": {
		Title:       "Owner added to an app (found by comparing snapshots)",
		Description: "This application or service principal has an owner now that it did not have in the previous snapshot. Owners can add credentials and change the app's settings, so a new owner can take over what the app is allowed to do. The change was found by comparing two snapshots.",
		Remediation: "Confirm with the app's other owners and its change record that the new owner should have that control. Remove an owner nobody asked for and review the credentials and URIs added to the app since.",
	},
	"zh-TW": {
		Title:       "應用程式新增了擁有者（由快照比對發現）",
		Description: "此應用程式或服務主體出現了上一個快照中沒有的擁有者。擁有者可以新增認證並變更應用程式的設定，因此新的擁有者可能接管應用程式被允許做的事。此變更是比對兩個快照時發現的。",
		Remediation: "向應用程式的其他擁有者及變更記錄確認新擁有者應具有此控制權。移除沒有人要求的擁有者，並檢查此後新增到應用程式的認證與 URI。",
	},
	"it": {
		Title:       "Proprietario aggiunto a un'app (trovato confrontando snapshot)",
		Description: "Questa applicazione o entità servizio ha ora un proprietario che nello snapshot precedente non aveva. I proprietari possono aggiungere credenziali e cambiare le impostazioni dell'app, quindi un nuovo proprietario può prendere il controllo di ciò che l'app è autorizzata a fare. La modifica è stata trovata confrontando due snapshot.",
		Remediation: "Verificare con gli altri proprietari dell'app e con la richiesta di modifica che il nuovo proprietario debba avere quel controllo. Rimuovere un proprietario che nessuno ha chiesto ed esaminare le credenziali e gli URI aggiunti all'app da allora.",
	},
	"ja": {
		Title:       "アプリに所有者が追加された (スナップショットの比較で検出)",
		Description: "このアプリケーションまたはサービス プリンシパルに、前回のスナップショットにはなかった所有者がいます。所有者は資格情報を追加し、アプリの設定を変更できるため、新しい所有者はアプリに許可されていることを乗っ取れます。この変更は 2 つのスナップショットの比較で検出されました。",
		Remediation: "アプリのほかの所有者と変更記録で、新しい所有者にその権限を持たせてよいか確認してください。誰も依頼していない所有者は削除し、それ以降にアプリへ追加された資格情報と URI を確認してください。",
	},
}

var textPermission = map[string]alert.Text{
	"en": {
		Title:       "Highly privileged application permission granted (found by comparing snapshots)",
		Description: "This service principal holds an application permission on a sensitive API (Microsoft Graph, Exchange Online, SharePoint Online or Azure AD Graph) that it did not hold in the previous snapshot, and the permission is among the most powerful: it lets the app act on tenant data or settings without any user. The grant was found by comparing two snapshots.",
		Remediation: "Confirm who consented and why, using the audit log between the two snapshot times and the app's change record. Revoke the permission if nobody can account for it, and prefer narrower permissions the app can work with.",
	},
	"zh-TW": {
		Title:       "授予了高權限的應用程式權限（由快照比對發現）",
		Description: "此服務主體持有上一個快照中沒有的敏感 API（Microsoft Graph、Exchange Online、SharePoint Online 或 Azure AD Graph）應用程式權限，而且是權力最大的權限之一：它讓應用程式不需任何使用者即可處理租用戶的資料或設定。此授權是比對兩個快照時發現的。",
		Remediation: "利用兩個快照時間之間的稽核記錄與應用程式的變更記錄，確認是誰同意以及原因。若無人能說明，請撤銷此權限，並改用應用程式足以運作的較窄權限。",
	},
	"it": {
		Title:       "Autorizzazione applicazione con privilegi elevati concessa (trovata confrontando snapshot)",
		Description: "Questa entità servizio ha un'autorizzazione applicazione su un'API sensibile (Microsoft Graph, Exchange Online, SharePoint Online o Azure AD Graph) che nello snapshot precedente non aveva, ed è tra le più potenti: permette all'app di agire su dati o impostazioni del tenant senza alcun utente. La concessione è stata trovata confrontando due snapshot.",
		Remediation: "Verificare chi ha dato il consenso e perché, con il log di controllo tra i due orari degli snapshot e la richiesta di modifica dell'app. Revocare l'autorizzazione se nessuno sa spiegarla e preferire autorizzazioni più ristrette con cui l'app possa funzionare.",
	},
	"ja": {
		Title:       "高い特権のアプリケーションのアクセス許可が付与された (スナップショットの比較で検出)",
		Description: "このサービス プリンシパルは、前回のスナップショットでは持っていなかった機密性の高い API (Microsoft Graph、Exchange Online、SharePoint Online、Azure AD Graph) のアプリケーションのアクセス許可を持っています。これは最も強力なものの一つで、ユーザーなしでテナントのデータや設定を操作できます。この付与は 2 つのスナップショットの比較で検出されました。",
		Remediation: "2 つのスナップショットの時刻の間の監査ログとアプリの変更記録で、誰がなぜ同意したかを確認してください。説明がつかない場合はアクセス許可を取り消し、アプリが動作できるより狭いアクセス許可を使ってください。",
	},
}

var textGrant = map[string]alert.Text{
	"en": {
		Title:       "Highly privileged delegated permission granted for all users (found by comparing snapshots)",
		Description: "A delegated grant for all users (admin consent) of this app on a sensitive API holds highly privileged scopes it did not hold in the previous snapshot. The app can now use them on behalf of any user of the tenant who signs in to it. The grant was found by comparing two snapshots.",
		Remediation: "Confirm who consented and why, using the audit log between the two snapshot times and the app's change record. Remove the scopes nobody can account for from the grant, or the grant itself.",
	},
	"zh-TW": {
		Title:       "代表所有使用者授予了高權限的委派權限（由快照比對發現）",
		Description: "此應用程式在敏感 API 上代表所有使用者的委派授權（管理員同意）含有上一個快照中沒有的高權限範圍。應用程式現在可以代表登入它的任何租用戶使用者使用這些範圍。此授權是比對兩個快照時發現的。",
		Remediation: "利用兩個快照時間之間的稽核記錄與應用程式的變更記錄，確認是誰同意以及原因。從授權中移除無人能說明的範圍，或移除整個授權。",
	},
	"it": {
		Title:       "Autorizzazione delegata con privilegi elevati concessa per tutti gli utenti (trovata confrontando snapshot)",
		Description: "Una concessione delegata per tutti gli utenti (consenso amministratore) di questa app su un'API sensibile contiene ambiti con privilegi elevati che nello snapshot precedente non aveva. L'app può ora usarli per conto di qualsiasi utente del tenant che vi acceda. La concessione è stata trovata confrontando due snapshot.",
		Remediation: "Verificare chi ha dato il consenso e perché, con il log di controllo tra i due orari degli snapshot e la richiesta di modifica dell'app. Togliere dalla concessione gli ambiti che nessuno sa spiegare, o eliminare la concessione.",
	},
	"ja": {
		Title:       "高い特権の委任されたアクセス許可が全ユーザーに付与された (スナップショットの比較で検出)",
		Description: "機密性の高い API に対するこのアプリの全ユーザー向け委任付与 (管理者の同意) に、前回のスナップショットにはなかった高い特権のスコープが含まれています。アプリは、サインインするテナントのどのユーザーの代わりにもそれらを使えます。この付与は 2 つのスナップショットの比較で検出されました。",
		Remediation: "2 つのスナップショットの時刻の間の監査ログとアプリの変更記録で、誰がなぜ同意したかを確認してください。説明がつかないスコープを付与から外すか、付与そのものを削除してください。",
	},
}

var textRole = map[string]alert.Text{
	"en": {
		Title:       "Directory role assigned to a service principal (found by comparing snapshots)",
		Description: "This service principal holds a Microsoft Entra role that it did not hold in the previous snapshot. An app with a directory role can manage what the role covers with no user involved; a privileged role can let it take over the tenant. The assignment was found by comparing two snapshots.",
		Remediation: "Confirm the assignment with the app's owners and the change record, using the audit log between the two snapshot times. Remove it if nobody can account for it, and prefer a narrower role or a scoped assignment.",
	},
	"zh-TW": {
		Title:       "服務主體被指派了目錄角色（由快照比對發現）",
		Description: "此服務主體持有上一個快照中沒有的 Microsoft Entra 角色。具有目錄角色的應用程式不需任何使用者即可管理該角色涵蓋的範圍；特殊權限角色可能讓它接管整個租用戶。此指派是比對兩個快照時發現的。",
		Remediation: "利用兩個快照時間之間的稽核記錄，向應用程式擁有者及變更記錄確認此指派。若無人能說明請移除，並改用較窄的角色或限定範圍的指派。",
	},
	"it": {
		Title:       "Ruolo della directory assegnato a un'entità servizio (trovato confrontando snapshot)",
		Description: "Questa entità servizio ha un ruolo di Microsoft Entra che nello snapshot precedente non aveva. Un'app con un ruolo della directory può gestire ciò che il ruolo copre senza alcun utente; un ruolo con privilegi può permetterle di prendere il controllo del tenant. L'assegnazione è stata trovata confrontando due snapshot.",
		Remediation: "Verificare l'assegnazione con i proprietari dell'app e la richiesta di modifica, con il log di controllo tra i due orari degli snapshot. Rimuoverla se nessuno sa spiegarla e preferire un ruolo più ristretto o un'assegnazione con ambito.",
	},
	"ja": {
		Title:       "サービス プリンシパルにディレクトリ ロールが割り当てられた (スナップショットの比較で検出)",
		Description: "このサービス プリンシパルは、前回のスナップショットでは持っていなかった Microsoft Entra ロールを持っています。ディレクトリ ロールを持つアプリは、ユーザーなしでそのロールの範囲を管理できます。特権ロールであればテナントを乗っ取れるおそれがあります。この割り当ては 2 つのスナップショットの比較で検出されました。",
		Remediation: "2 つのスナップショットの時刻の間の監査ログを使い、アプリの所有者と変更記録で割り当てを確認してください。説明がつかない場合は削除し、より狭いロールか範囲を限定した割り当てを使ってください。",
	},
}
