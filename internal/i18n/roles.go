package i18n

// roleNames holds the names Microsoft gives built-in roles in each
// language, by their English name: the directory roles and Azure roles
// the glossary lists, and the application roles posture texts name.
var roleNames = buildRoleNames()

// extraRoles are built-in roles the glossary does not list, named as the
// Microsoft Entra admin center and the Azure portal name them.
var extraRoles = map[string]texts{
	"Application Administrator":       {zh: "應用程式系統管理員", it: "Amministratore applicazioni", ja: "アプリケーション管理者"},
	"Cloud Application Administrator": {zh: "雲端應用程式系統管理員", it: "Amministratore applicazioni cloud", ja: "クラウド アプリケーション管理者"},
	"Reader":                          {zh: "讀者", it: "Lettore", ja: "閲覧者"},
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
