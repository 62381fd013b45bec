package i18n

// rowTerms are the short names of the guide's rows in every language: the
// names tables, summaries and reports give the rows. Each cites the row's
// lines in Microsoft's translation of the guide and the words the name
// takes from them.
var rowTerms = []Term{
	row("credential-added",
		Usage{Right: []string{"Credential added to an app"}, Lines: []int{83}, Shares: []string{"credential", "added"}},
		Usage{Right: []string{"應用程式新增認證"}, Lines: []int{69}, Shares: []string{"應用程式", "新增", "認證"}},
		Usage{Right: []string{"Credenziale aggiunta a un'app"}, Lines: []int{78}, Shares: []string{"credenzial", "aggiunt"}},
		Usage{Right: []string{"アプリへの資格情報の追加"}, Lines: []int{81}, Shares: []string{"資格情報", "追加"}}),
	row("credential-lifetime",
		Usage{Right: []string{"Long-lived app credential"}, Lines: []int{91}, Shares: []string{"credential"}},
		Usage{Right: []string{"認證存留期過長"}, Lines: []int{77}, Shares: []string{"認證", "存留期"}},
		Usage{Right: []string{"Credenziale di lunga durata"}, Lines: []int{86}, Shares: []string{"credenzial", "durata"}},
		Usage{Right: []string{"有効期間が長すぎる資格情報"}, Lines: []int{89}, Shares: []string{"資格情報", "有効期間"}}),
	row("sp-role-assigned",
		Usage{Right: []string{"Role given to a service principal"}, Lines: []int{105}, Shares: []string{"service principal", "role"}},
		Usage{Right: []string{"服務主體獲指派角色"}, Lines: []int{91}, Shares: []string{"服務主體", "指派", "角色"}},
		Usage{Right: []string{"Ruolo assegnato a un'entità servizio"}, Lines: []int{100}, Shares: []string{"entità servizio", "assegnat", "ruolo"}},
		Usage{Right: []string{"サービス プリンシパルへのロールの割り当て"}, Lines: []int{103}, Shares: []string{"サービス プリンシパル", "ロール", "割り当て"}}),
	row("privileged-app-permission",
		Usage{Right: []string{"Highly privileged app permission"}, Lines: []int{119}, Shares: []string{"highly privileged", "permission"}},
		Usage{Right: []string{"應用程式獲授與高特殊權限"}, Lines: []int{105}, Shares: []string{"應用程式獲授與高特殊權限"}},
		Usage{Right: []string{"Autorizzazioni dell'applicazione con privilegi elevati"}, Lines: []int{118}, Shares: []string{"autorizzazion", "dell'applicazione con privilegi elevati"}},
		Usage{Right: []string{"高い特権を持つアプリケーションのアクセス許可"}, Lines: []int{121}, Shares: []string{"高い特権を持つアプリケーションのアクセス許可"}}),
	row("admin-consent-privileged",
		Usage{Right: []string{"Admin consent to privileged permissions"}, Lines: []int{128}, Shares: []string{"admin", "privileged"}},
		Usage{Right: []string{"管理員同意高特殊權限"}, Lines: []int{114}, Shares: []string{"管理員", "高特殊"}},
		Usage{Right: []string{"Consenso amministratore a privilegi elevati"}, Lines: []int{123}, Shares: []string{"privilegi elevati"}},
		Usage{Right: []string{"特権アクセス許可への管理者の同意"}, Lines: []int{126}, Shares: []string{"管理者", "アクセス許可"}}),
	row("sensitive-api-permission",
		Usage{Right: []string{"Permission on a sensitive API"}, Lines: []int{146}, Shares: []string{"sensitive", "API"}},
		Usage{Right: []string{"機密資料 API 的權限"}, Lines: []int{132}, Shares: []string{"機密", "API"}},
		Usage{Right: []string{"Autorizzazioni su un'API con dati sensibili"}, Lines: []int{141}, Shares: []string{"API con dati sensibili"}},
		Usage{Right: []string{"機密データを含む API へのアクセス許可"}, Lines: []int{144}, Shares: []string{"機密データを含む API"}}),
	row("other-api-app-role",
		Usage{Right: []string{"App role on another API"}, Lines: []int{151}, Shares: []string{"app role", "API"}},
		Usage{Right: []string{"其他 API 的應用程式角色"}, Lines: []int{137}, Shares: []string{"其他 API 的應用程式", "應用程式角色"}},
		Usage{Right: []string{"Ruolo dell'app su un'altra API"}, Lines: []int{146}, Shares: []string{"ruol", "dell'app", "API"}},
		Usage{Right: []string{"他の API に対するアプリ ロール"}, Lines: []int{149}, Shares: []string{"他の API に対する", "アプリ ロール"}}),
	row("tenant-wide-delegated-grant",
		Usage{Right: []string{"Privileged delegation for all users"}, Lines: []int{156}, Shares: []string{"all users", "delegat"}},
		Usage{Right: []string{"代表所有使用者授與高特殊已委派權限"}, Lines: []int{142}, Shares: []string{"代表所有使用者授與高特殊已委派權限"}},
		Usage{Right: []string{"Delega con privilegi elevati per tutti gli utenti"}, Lines: []int{151}, Shares: []string{"con privilegi elevati", "tutti gli utenti"}},
		Usage{Right: []string{"すべてのユーザーの代理としての高い特権の委任"}, Lines: []int{154}, Shares: []string{"すべてのユーザーの代理として", "高い特権", "委任"}}),
	row("keyvault-access",
		Usage{Right: []string{"Key Vault access or policy change"}, Lines: []int{174}, Shares: []string{"Key Vault", "access"}},
		Usage{Right: []string{"Key Vault 存取或存取原則變更"}, Lines: []int{160}, Shares: []string{"Key Vault", "存取", "變更"}},
		Usage{Right: []string{"Accesso a Key Vault o modifica dei criteri di accesso"}, Lines: []int{169}, Shares: []string{"accesso a Key Vault", "modific"}},
		Usage{Right: []string{"Key Vault へのアクセスまたはポリシーの変更"}, Lines: []int{172}, Shares: []string{"Key Vault へのアクセス", "変更"}}),
	row("user-consent",
		Usage{Right: []string{"User consent to an app"}, Lines: []int{182}, Shares: []string{"consent to"}},
		Usage{Right: []string{"使用者同意應用程式"}, Lines: []int{168}, Shares: []string{"使用者", "同意", "應用程式"}},
		Usage{Right: []string{"Consenso dell'utente a un'applicazione"}, Lines: []int{177}, Shares: []string{"consenso dell'utente", "applicazione"}},
		Usage{Right: []string{"アプリケーションに対するユーザーの同意"}, Lines: []int{180}, Shares: []string{"アプリケーションに対する", "ユーザーの同意"}}),
	row("risky-consent-blocked",
		Usage{Right: []string{"Risky consent blocked"}, Lines: []int{192}, Shares: []string{"consent"}},
		Usage{Right: []string{"同意遭風險型同意封鎖"}, Lines: []int{178}, Shares: []string{"風險型同意"}},
		Usage{Right: []string{"Consenso bloccato dal consenso basato sul rischio"}, Lines: []int{187}, Shares: []string{"consenso basato sul rischio"}},
		Usage{Right: []string{"リスクベースの同意によるブロック"}, Lines: []int{190}, Shares: []string{"リスクベースの同意"}}),
	row("ropc-signin",
		Usage{Right: []string{"ROPC sign-in"}, Lines: []int{211}, Shares: []string{"ROPC"}},
		Usage{Right: []string{"ROPC 登入"}, Lines: []int{197}, Shares: []string{"ROPC", "登入"}},
		Usage{Right: []string{"Accesso con ROPC"}, Lines: []int{206}, Shares: []string{"ROPC", "accesso"}},
		Usage{Right: []string{"ROPC によるサインイン"}, Lines: []int{209}, Shares: []string{"ROPC", "サインイン"}}),
	row("device-code-signin",
		Usage{Right: []string{"Device code sign-in"}, Lines: []int{217}, Shares: []string{"device code"}},
		Usage{Right: []string{"裝置程式碼流程登入"}, Lines: []int{203}, Shares: []string{"裝置程式碼流程", "登入"}},
		Usage{Right: []string{"Accesso con il codice del dispositivo"}, Lines: []int{212}, Shares: []string{"codice del dispositivo", "accesso"}},
		Usage{Right: []string{"デバイス コード フローによるサインイン"}, Lines: []int{215}, Shares: []string{"デバイス コード フロー", "サインイン"}}),
	row("dangling-uri",
		Usage{Right: []string{"Dangling URI"}, Lines: []int{231}, Shares: []string{"Dangling URI"}},
		Usage{Right: []string{"無關聯的 URI"}, Lines: []int{217}, Shares: []string{"無關聯的 URI"}},
		Usage{Right: []string{"URI orfano", "URI orfani"}, Wrong: []string{"URI dangling", "dangling", "URI incert"},
			Basis: "the guide's table leaves the row's name in English (Dangling URI) and its prose says URI incerti, which does not say that the host is gone; orfano does"},
		Usage{Right: []string{"ダングリング URI"}, Wrong: []string{"宙ぶらりん"}, Lines: []int{229}, Shares: []string{"ダングリング URI"}}),
	row("redirect-uri-change",
		Usage{Right: []string{"Redirect URI change"}, Lines: []int{238}, Shares: []string{"redirect URI"}},
		Usage{Right: []string{"重新導向 URI 變更"}, Lines: []int{224}, Shares: []string{"重新導向 URI", "變更"}},
		Usage{Right: []string{"Modifica dell'URI di reindirizzamento"}, Lines: []int{233}, Shares: []string{"modific", "URI di reindirizzamento"}},
		Usage{Right: []string{"リダイレクト URI の変更"}, Lines: []int{236}, Shares: []string{"リダイレクト URI", "変更"}}),
	row("appid-uri-change",
		Usage{Right: []string{"App ID URI change"}, Lines: []int{251}, Shares: []string{"URI"}},
		Usage{Right: []string{"AppID URI 變更"}, Lines: []int{237}, Shares: []string{"AppID URI", "變更"}},
		Usage{Right: []string{"Modifica dell'URI AppID"}, Lines: []int{246}, Shares: []string{"modific", "URI AppID"}},
		Usage{Right: []string{"AppID URI の変更"}, Lines: []int{249}, Shares: []string{"AppID URI の変更"}}),
	row("owner-added",
		Usage{Right: []string{"Owner added to an app"}, Lines: []int{265, 266}, Shares: []string{"owner"}},
		Usage{Right: []string{"應用程式新增擁有者"}, Lines: []int{251, 252}, Shares: []string{"擁有者", "新增", "應用程式"}},
		Usage{Right: []string{"Proprietario aggiunto a un'applicazione"}, Lines: []int{260, 261}, Shares: []string{"proprietario", "applicazione"}},
		Usage{Right: []string{"アプリケーションへの所有者の追加"}, Lines: []int{263, 264}, Shares: []string{"アプリケーションへの所有者の追加"}}),
	row("logout-url-change",
		Usage{Right: []string{"Logout URL change"}, Lines: []int{275}, Shares: []string{"URL"}},
		Usage{Right: []string{"登出 URL 變更"}, Lines: []int{261}, Shares: []string{"登出 URL", "變更"}},
		Usage{Right: []string{"Modifica dell'URL di disconnessione"}, Lines: []int{270}, Shares: []string{"modific", "URL di disconnessione"}},
		Usage{Right: []string{"ログアウト URL の変更"}, Lines: []int{273}, Shares: []string{"ログアウト URL の変更"}}),
}

// row returns the glossary term of the short name of the guide row key.
func row(key string, en, zh, it, ja Usage) Term {
	return Term{ID: "row." + key, In: map[string]Usage{English: en, TraditionalChinese: zh, Italian: it, Japanese: ja}}
}

// rowMessages holds the short name of each guide row by message key
// (row.<key>), as the glossary gives it.
var rowMessages = rowCatalog(rowTerms)

// rowCatalog makes the messages of the row names of ts.
func rowCatalog(ts []Term) map[string]texts {
	out := make(map[string]texts, len(ts))
	for _, t := range ts {
		out[t.ID] = texts{
			en: t.Preferred(English),
			zh: t.Preferred(TraditionalChinese),
			it: t.Preferred(Italian),
			ja: t.Preferred(Japanese),
		}
	}
	return out
}
