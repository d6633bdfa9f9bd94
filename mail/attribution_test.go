package mail

import "testing"

// attributionCases are attribution lines in several languages, found with
// no list of phrases: a date or a time, a name or an address, a final ':'
// and quoted text right after (issue 21).
var attributionCases = []splitCase{
	{
		name:      "Russian, wrapped over two lines",
		text:      "Спасибо, получили.\n\nпт, 14 июн. 2024 г. в 10:15, Иван Петров <ivan.petrov@example.ru>\nнаписал:\n> Направляю вам проект договора.\n> С уважением",
		wantNew:   []string{"Спасибо, получили."},
		notNew:    []string{"написал", "проект договора"},
		wantQuote: []string{"написал", "Направляю вам проект договора."},
	},
	{
		name:      "Spanish",
		text:      "De acuerdo.\n\nEl lun, 3 jun 2024 a las 10:02, María García (<maria.garcia@example.es>) escribió:\n> ¿Podemos vernos el martes?",
		wantNew:   []string{"De acuerdo."},
		notNew:    []string{"escribió", "martes"},
		wantQuote: []string{"escribió", "¿Podemos vernos el martes?"},
	},
	{
		name:      "Italian",
		text:      "Confermo.\n\nIl giorno lun 3 giu 2024 alle ore 10:02 Mario Rossi <mario.rossi@example.it> ha scritto:\n> Ci vediamo giovedì?",
		wantNew:   []string{"Confermo."},
		notNew:    []string{"ha scritto", "giovedì"},
		wantQuote: []string{"ha scritto", "Ci vediamo giovedì?"},
	},
	{
		name:      "Dutch, name without address",
		text:      "Prima.\n\nOp ma 3 jun. 2024 om 10:02 schreef Jan de Vries:\n> Kunt u het verslag sturen?",
		wantNew:   []string{"Prima."},
		notNew:    []string{"schreef", "verslag"},
		wantQuote: []string{"schreef", "Kunt u het verslag sturen?"},
	},
	{
		name:      "Portuguese, wrapped over three lines",
		text:      "Obrigado.\n\nEm seg., 3 de jun. de 2024 às 10:02,\nJoão Silva <joao.silva@example.pt>\nescreveu:\n> Segue o relatório.",
		wantNew:   []string{"Obrigado."},
		notNew:    []string{"escreveu", "relatório"},
		wantQuote: []string{"escreveu", "Segue o relatório."},
	},
	{
		name:      "Polish, numeric date",
		text:      "Dziękuję.\n\nW dniu 03.06.2024 o 10:02, Jan Kowalski pisze:\n> Przesyłam protokół.",
		wantNew:   []string{"Dziękuję."},
		notNew:    []string{"pisze", "protokół"},
		wantQuote: []string{"pisze", "Przesyłam protokół."},
	},
	{
		name:      "Chinese, full-width colon",
		text:      "收到，谢谢。\n\n在 2024年6月3日 10:02，张伟 <zhang.wei@example.cn> 写道：\n> 请查收附件。",
		wantNew:   []string{"收到，谢谢。"},
		notNew:    []string{"写道", "请查收附件"},
		wantQuote: []string{"写道", "请查收附件。"},
	},
	{
		name:      "Swedish attribution before a header block",
		text:      "Se nedan.\n\nDen 3 juni 2024 kl. 10:02 skrev Anna Svensson <anna@example.se>:\nDe : Anna Svensson\nEnvoyé : lundi 3 juin 2024 10:02\nObjet : Protokoll\n\nHär är protokollet.",
		wantNew:   []string{"Se nedan."},
		notNew:    []string{"skrev", "protokollet"},
		wantQuote: []string{"skrev", "Här är protokollet."},
	},
	{
		name:    "a colon line with a date but no one named stays new",
		text:    "Voici les points du 3 juin 2024 :\n> point un\n> point deux",
		wantNew: []string{"Voici les points du 3 juin 2024 :"},
	},
	{
		name:    "a colon line with a date and a name, followed by plain text, stays new",
		text:    "Réunion du 3 juin 2024 à 10:00 avec Marie Dupont :\n\nordre du jour à venir.",
		wantNew: []string{"avec Marie Dupont :", "ordre du jour à venir."},
	},
}

func TestSplitAttributionAnyLanguage(t *testing.T) { runSplitCases(t, attributionCases) }

// copiedHeaderCases are header blocks copied into the writer's own prose.
var copiedHeaderCases = []splitCase{
	{
		name:      "copied message followed by the writer's text",
		text:      "Bonjour,\n\nPour information, voici le message reçu hier :\n\nDe : Jean Dupont <jean.dupont@mairie-exemple.fr>\nEnvoyé : lundi 3 juin 2024 10:00\nÀ : Service des finances\nObjet : Subvention DETR\n\nLe dossier sera complété la semaine prochaine.\n\nCordialement,\nJean Dupont\n\nJe propose de lui accorder un délai de quinze jours.\n\nCordialement,\nMarie Durand",
		wantNew:   []string{"voici le message reçu hier", "Je propose de lui accorder un délai de quinze jours."},
		notNew:    []string{"Envoyé :", "sera complété"},
		wantQuote: []string{"Le dossier sera complété la semaine prochaine."},
	},
	{
		name:      "an Outlook reply is still quoted history",
		text:      "Je valide.\n\nCordialement,\nMarie Durand\n\nDe : Jean Dupont <jean.dupont@mairie-exemple.fr>\nEnvoyé : lundi 3 juin 2024 10:00\nÀ : Marie Durand\nObjet : Subvention DETR\n\nPouvez-vous valider ?\n\nCordialement,\nJean Dupont",
		wantNew:   []string{"Je valide."},
		notNew:    []string{"Pouvez-vous valider", "Envoyé :"},
		wantQuote: []string{"Pouvez-vous valider ?"},
	},
	{
		name:      "a reply pointing below is still quoted history",
		text:      "Voir ci-dessous :\n\nDe : Jean Dupont <jean.dupont@mairie-exemple.fr>\nEnvoyé : lundi 3 juin 2024 10:00\nObjet : Subvention DETR\n\nLe dossier est complet.\n\nCordialement,\nJean Dupont\n\nCe message est confidentiel et établi à l'intention exclusive de ses destinataires.",
		wantNew:   []string{"Voir ci-dessous :"},
		notNew:    []string{"Le dossier est complet."},
		wantQuote: []string{"Le dossier est complet."},
	},
}

func TestSplitCopiedHeaderBlock(t *testing.T) { runSplitCases(t, copiedHeaderCases) }
