package privacy

// Names without a cue, and the words around a name: capitalised words that
// are not French words, widened known names, places named after people.

import (
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// functionWords are the closed classes of French (articles, pronouns,
// prepositions, conjunctions, and the adverbs that open sentences): a
// capitalised one starts a sentence, never a name. A closed class can be
// listed; every other word is looked up in the lexicon.
var functionWords = wordSet(`LE LA LES L UN UNE DES DU DE D AU AUX CE CET CETTE CES MON MA MES TON TA TES SON SA SES NOTRE NOS VOTRE VOS LEUR LEURS
	JE TU IL ELLE ON NOUS VOUS ILS ELLES QUI QUE QUOI DONT OU Y EN SE LUI EUX CELA CECI CA
	A APRES AVANT AVEC CHEZ CONTRE DANS DEPUIS DERRIERE DES DEVANT DURANT ENTRE ENVERS HORS JUSQUE MALGRE PAR PARMI PENDANT POUR SANS SELON SOUS SUR VERS VIA
	ET OU MAIS DONC OR NI CAR SI QUAND LORSQUE PUISQUE COMME QUOIQUE AFIN
	HIER DEMAIN AUJOURD ENSUITE PUIS ENFIN ALORS AINSI AUSSI CEPENDANT TOUTEFOIS NEANMOINS POURTANT DESORMAIS EGALEMENT DEJA ENCORE TOUJOURS
	OUI NON NE PAS PLUS MOINS TRES BIEN MAL VOICI VOILA TOUT TOUS TOUTE TOUTES CHAQUE AUCUN AUCUNE`)

// placeWords name the kinds of places, buildings, plans and texts that are
// named after people or carry a name: "rue Victor Hugo", "lycée Jean
// Moulin", "salle Marianne", "plan Vigipirate", "loi Veil". The name after
// one of them is the place's, and stays.
var placeWords = wordSet(`RUE AVENUE AV BOULEVARD BD PLACE QUAI COURS ALLEE IMPASSE CHEMIN ROUTE SQUARE PASSAGE ESPLANADE PROMENADE PARVIS PONT PORT
	LYCEE COLLEGE ECOLE GROUPE UNIVERSITE FACULTE INSTITUT CAMPUS ACADEMIE
	SALLE AMPHITHEATRE AMPHI BATIMENT TOUR RESIDENCE CITE QUARTIER ESPACE CENTRE MAISON FOYER GYMNASE STADE PISCINE PARC JARDIN
	HOPITAL CLINIQUE CHU EHPAD CASERNE GARE AEROPORT MEDIATHEQUE BIBLIOTHEQUE MUSEE THEATRE FONDATION ASSOCIATION
	PLAN LOI DECRET CIRCULAIRE ARRETE ORDONNANCE OPERATION DISPOSITIF PROGRAMME PRIX PROMOTION RAPPORT COMMISSION MISSION
	COMMUNE VILLE VILLAGE CANTON ARRONDISSEMENT DEPARTEMENT REGION`)

// wordSet makes a set of folded words from a space-separated list.
func wordSet(list string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(list) {
		m[w] = true
	}
	return m
}

// nameBreak reports whether w cannot be part of a name: not capitalised,
// a title, a service or function word, a closed-class word, a place word.
func nameBreak(w word) bool {
	f := bareFold(w.fold)
	return !w.capital || notNames[f] || functionWords[f] || placeWords[f] || isTitle(f)
}

// bareFold drops an article's elision from a folded word: "L'AVENUE" →
// "AVENUE" ("L'avenue Charles de Gaulle" starts a sentence with a place word).
func bareFold(f string) string {
	for _, e := range []string{"L'", "D'", "QU'"} {
		if strings.HasPrefix(f, e) && len(f) > len(e) {
			return f[len(e):]
		}
	}
	return f
}

// lowerParticle reports whether w is a particle written in lower case ("de").
func lowerParticle(text string, w word) bool {
	return !w.capital && isParticle(w.fold) && text[w.start:w.end] == strings.ToLower(text[w.start:w.end])
}

// spaceGap reports whether only spaces separate two words of a line.
func spaceGap(s string) bool {
	return s != "" && len(s) <= 4 && strings.Trim(s, " \t\u00a0") == ""
}

// widen extends the words [first, last] of a name over the capitalised
// words next to it on the same line, particles included ("Jean" before
// "Dupuis", "de La Rochefoucauld" after "Anne").
func widen(text string, ws []word, first, last int) (int, int) {
	for n := 0; n < 3 && last+1 < len(ws) && spaceGap(text[ws[last].end:ws[last+1].start]); n++ {
		next := ws[last+1]
		if !nameBreak(next) {
			last++
			continue
		}
		if lowerParticle(text, next) || next.capital && isParticle(next.fold) {
			// One or two particles, then a capitalised word.
			j := last + 1
			for j+1 < len(ws) && j-last < 3 && isParticle(ws[j+1].fold) && spaceGap(text[ws[j].end:ws[j+1].start]) {
				j++
			}
			if j+1 < len(ws) && spaceGap(text[ws[j].end:ws[j+1].start]) && !nameBreak(ws[j+1]) {
				last = j + 1
				continue
			}
		}
		break
	}
	for n := 0; n < 2 && first > 0 && spaceGap(text[ws[first-1].end:ws[first].start]) && !nameBreak(ws[first-1]); n++ {
		first--
	}
	return first, last
}

// initialPattern is an initial before a surname: "J. ", "J.-P. ".
var initialPattern = regexp.MustCompile(`(?:^|[^\pL.])(\p{Lu}\.(?:-?\p{Lu}\.)?[ \t\x{00A0}]?)$`)

// initialBefore returns where a name starting at start begins when an
// initial stands before it ("J. Dupont"); "M." is Monsieur, not an initial.
func initialBefore(text string, start int) int {
	from := max(0, start-8)
	m := initialPattern.FindStringSubmatchIndex(text[from:start])
	if m == nil || text[from+m[2]:from+m[2]+2] == "M." && m[3]-m[2] <= 3 {
		return start
	}
	return from + m[2]
}

// placeBefore reports whether the word before ws[i] names a place, a
// building or a text ("rue", "lycée", "plan").
// Particles may stand between ("gare de Lyon", "place de la République"),
// and the place word may carry an elision ("L'avenue Charles de Gaulle").
func placeBefore(text string, ws []word, i int) bool {
	for j := i - 1; j >= 0 && j >= i-3 && spaceGap(text[ws[j].end:ws[j+1].start]); j-- {
		if placeWords[bareFold(ws[j].fold)] {
			return true
		}
		if !lowerParticle(text, ws[j]) {
			return false
		}
	}
	return false
}

// determinerBefore reports whether an article stands right before
// text[start:] ("la Seine-Saint-Denis", "l'Élysée", "du Crédit Agricole"):
// places and institutions take one, people do not.
func determinerBefore(text string, ws []word, i int) bool {
	start := ws[i].start
	if strings.HasSuffix(text[:start], "'") || strings.HasSuffix(text[:start], "’") {
		r, _ := utf8.DecodeLastRuneInString(strings.TrimRight(text[:start], "'’"))
		return r == 'l' || r == 'L'
	}
	if i == 0 || !spaceGap(text[ws[i-1].end:start]) {
		return false
	}
	switch ws[i-1].fold {
	case "LE", "LA", "LES", "DU", "DES", "AU", "AUX", "UN", "UNE":
		return !ws[i-1].capital || i == 1
	}
	return false
}

// learnUncued learns runs of two to four capitalised words of which at
// least one is not a French word, such as "Fatoumata Diallo" or "Karim
// BENALI" met in passing, unless a place word or an article stands before
// them or they read as an institution ("Conseil départemental du
// Val-de-Marne").
func (b *nameBook) learnUncued(text string, ws []word) {
	lex := frenchWords()
	for i := 0; i < len(ws); i++ {
		if nameBreak(ws[i]) && !(ws[i].capital && isParticle(ws[i].fold)) {
			continue
		}
		// The run: capitalised words and particles, spaces between.
		j := i
		for j+1 < len(ws) && spaceGap(text[ws[j].end:ws[j+1].start]) && (!nameBreak(ws[j+1]) || isParticle(ws[j+1].fold)) {
			j++
		}
		for j > i && isParticle(ws[j].fold) {
			j--
		}
		run := ws[i : j+1]
		next := j
		if placeBefore(text, ws, i) || determinerBefore(text, ws, i) || !uncuedName(text, run, lex) {
			i = next
			continue
		}
		b.learnDisplay(text[run[0].start:run[len(run)-1].end], "sans indice : mot absent du lexique français")
		i = next
	}
}

// uncuedName decides whether a run of capitalised words is a person's name.
func uncuedName(text string, run []word, lex *lexicon) bool {
	content, unknown, mixed := 0, 0, false
	allKnownBeforeDe := true
	for k, w := range run {
		if isParticle(w.fold) {
			if lowerParticle(text, w) && strings.HasPrefix(w.fold, "D") && k > 0 && allKnownBeforeDe {
				return false // "Conseil départemental du …", "Maison de …"
			}
			continue
		}
		content++
		surface := text[w.start:w.end]
		if utf8.RuneCountInString(w.fold) < 2 {
			return false
		}
		if surface != strings.ToUpper(surface) {
			mixed = true
		}
		if !lex.has(w.fold) {
			unknown++
			allKnownBeforeDe = false
		}
	}
	return content >= 2 && content <= 4 && unknown > 0 && mixed
}

// learnLonger learns the longer names that known forms sit in: after
// "Bonjour Jean", "Jean Dupuis" is Jean Dupuis, learned whole before any
// text is replaced so that every form of the person shares one number.
func (b *nameBook) learnLonger(text string, ws []word) {
	var longer []string
	b.matchWords(text, ws, func(m nameMatch) {
		if m.widened {
			s := text[m.start:m.end]
			if r, _ := utf8.DecodeRuneInString(s); unicode.IsUpper(r) && !strings.Contains(s, ".") {
				longer = append(longer, s)
			}
		}
	})
	for _, s := range longer {
		b.learnDisplay(s, "nom connu, élargi aux mots voisins")
	}
}
