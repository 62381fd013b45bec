package i18n

import (
	"maps"
	"slices"
)

// roleNames holds the names Microsoft gives built-in roles in each
// language, by their English name: the directory roles and Azure roles
// the glossary lists, and the application roles posture texts name.
var roleNames = buildRoleNames()

// extraRoles are built-in roles the glossary does not list, named as the
// Microsoft Entra admin center and the Azure portal name them: the
// directory roles Microsoft labels privileged and a few others that come
// up in audit logs, and the Azure roles that manage access, machines or
// identities. A role left out of a language keeps its English name there.
var extraRoles = map[string]texts{
	// Microsoft Entra roles.
	"Application Administrator":                {zh: "應用程式系統管理員", it: "Amministratore applicazioni", ja: "アプリケーション管理者"},
	"Cloud Application Administrator":          {zh: "雲端應用程式系統管理員", it: "Amministratore applicazioni cloud", ja: "クラウド アプリケーション管理者"},
	"Application Developer":                    {zh: "應用程式開發人員", it: "Sviluppatore applicazioni", ja: "アプリケーション開発者"},
	"Authentication Administrator":             {zh: "驗證管理員", it: "Amministratore autenticazione", ja: "認証管理者"},
	"Privileged Authentication Administrator":  {zh: "特殊權限驗證管理員", it: "Amministratore autenticazione con privilegi", ja: "特権認証管理者"},
	"Conditional Access Administrator":         {zh: "條件式存取管理員", it: "Amministratore accesso condizionale", ja: "条件付きアクセス管理者"},
	"Hybrid Identity Administrator":            {zh: "混合式身分識別管理員", it: "Amministratore identità ibrida", ja: "ハイブリッド ID 管理者"},
	"Security Administrator":                   {zh: "安全性系統管理員", it: "Amministratore della sicurezza", ja: "セキュリティ管理者"},
	"Security Operator":                        {zh: "安全性操作員", it: "Operatore per la sicurezza", ja: "セキュリティ オペレーター"},
	"Security Reader":                          {zh: "安全性讀取者", it: "Ruolo con autorizzazioni di lettura per la sicurezza", ja: "セキュリティ閲覧者"},
	"Global Reader":                            {zh: "全域讀取者", it: "Ruolo con autorizzazioni di lettura globali", ja: "グローバル閲覧者"},
	"Helpdesk Administrator":                   {zh: "技術支援中心系統管理員", it: "Amministratore supporto tecnico", ja: "ヘルプデスク管理者"},
	"Password Administrator":                   {zh: "密碼管理員", it: "Amministratore password", ja: "パスワード管理者"},
	"Cloud Device Administrator":               {zh: "雲端裝置系統管理員", it: "Amministratore dispositivi cloud", ja: "クラウド デバイス管理者"},
	"Intune Administrator":                     {zh: "Intune 系統管理員", it: "Amministratore di Intune", ja: "Intune 管理者"},
	"Exchange Administrator":                   {zh: "Exchange 系統管理員", it: "Amministratore di Exchange", ja: "Exchange 管理者"},
	"SharePoint Administrator":                 {zh: "SharePoint 系統管理員", it: "Amministratore di SharePoint", ja: "SharePoint 管理者"},
	"Groups Administrator":                     {zh: "群組系統管理員", it: "Amministratore gruppi", ja: "グループ管理者"},
	"Domain Name Administrator":                {zh: "網域名稱系統管理員", it: "Amministratore nomi di dominio", ja: "ドメイン名管理者"},
	"External Identity Provider Administrator": {zh: "外部身分識別提供者系統管理員", ja: "外部 ID プロバイダー管理者"},
	"Directory Writers":                        {zh: "目錄寫入器", ja: "ディレクトリ ライター"},
	"Directory Readers":                        {zh: "目錄讀取者", ja: "ディレクトリ閲覧者"},
	// Azure roles.
	"Reader": {zh: "讀者", it: "Lettore", ja: "閲覧者"},
	"Role Based Access Control Administrator": {zh: "角色型存取控制系統管理員", it: "Amministratore Controllo degli accessi in base al ruolo", ja: "ロール ベースのアクセス制御管理者"},
	"Virtual Machine Contributor":             {zh: "虛擬機器參與者", it: "Collaboratore macchine virtuali", ja: "仮想マシン共同作成者"},
	"Managed Identity Operator":               {zh: "受控身分識別操作員", it: "Operatore identità gestita", ja: "マネージド ID オペレーター"},
}

// buildRoleNames joins the role names of the glossary, whose terms list
// the same roles in the same order in every language, with extraRoles.
func buildRoleNames() map[string]texts {
	out := map[string]texts{}
	for _, t := range terms {
		if t.In[English].Basis != basisRoles && t.In[English].Basis != basisAzure && t.ID != "user-administrator" {
			continue
		}
		for i, en := range t.In[English].Right {
			m := texts{en: en}
			for _, lang := range []string{TraditionalChinese, Italian, Japanese} {
				if r := t.In[lang].Right; i < len(r) {
					m.set(lang, r[i])
				}
			}
			out[en] = m
		}
	}
	for en, m := range extraRoles {
		m.en = en
		out[en] = m
	}
	return out
}

// set sets the text in lang.
func (m *texts) set(lang, s string) {
	switch lang {
	case TraditionalChinese:
		m.zh = s
	case Italian:
		m.it = s
	case Japanese:
		m.ja = s
	}
}

// Role returns the built-in role named english as Microsoft names it in
// the Printer's language, followed by the English name an admin also
// searches for; other roles, and every role in English, as they are.
func (p *Printer) Role(english string) string {
	m, ok := roleNames[english]
	if !ok || p.lang == English || m.in(p.lang) == "" {
		return english
	}
	return m.in(p.lang) + " (" + english + ")"
}

// RoleNames returns the English names of the built-in roles Role
// translates, sorted.
func RoleNames() []string {
	return slices.Sorted(maps.Keys(roleNames))
}
