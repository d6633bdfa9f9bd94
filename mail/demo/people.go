package demo

// Fictional people of the demo mailbox. Phone numbers are in the ranges
// ARCEP reserves for fiction (03 53 48 …, 06 39 98 …).
var (
	agent       = person{OwnerName, OwnerAddress}
	directrice  = person{"Nathalie Fournier", "nathalie.fournier@somme.gouv.example"}
	financesLoc = person{"Sophie Lambert", "sophie.lambert@somme.gouv.example"}
	dclBox      = person{"Préfecture de la Somme - DCL", "pref-dcl@somme.gouv.example"}
	sejourAgent = person{"Karine Roussel", "karine.roussel@somme.gouv.example"}
	cabinet     = person{"Pierre-Yves Marchand", "pierre-yves.marchand@somme.gouv.example"}
	sidpc       = person{"Laurent Vidal", "laurent.vidal@somme.gouv.example"}
	intercoBur  = person{"Lucie Henry", "lucie.henry@somme.gouv.example"}

	maireHangest = person{"Bernard Lefebvre", "maire@hangest-le-petit.example"}
	secHangest   = person{"Martine Dupuis", "secretariat@hangest-le-petit.example"}
	maireFresnoy = person{"Isabelle Garnier", "maire@fresnoy-sur-selle.example"}
	sdis         = person{"Cdt Éric Moreau", "eric.moreau@sdis80.example"}
	ddt          = person{"Thomas Petit", "thomas.petit@ddt-somme.example"}
	citoyenne    = person{"Amina Benali", "amina.benali@courriel.example"}
	presidentCC  = person{"Jean-Marc Delattre", "jm.delattre@cc-val-de-noye.example"}
)

const disclaimer = "Ce message et ses éventuelles pièces jointes sont confidentiels et établis à l'attention exclusive de leurs destinataires. Toute utilisation ou diffusion non autorisée est interdite. Si vous avez reçu ce message par erreur, merci de le détruire et d'en avertir immédiatement l'expéditeur.\nPensez à l'environnement avant d'imprimer ce message."

// sigAgent is Julien Caron's signature, Thunderbird style ("-- " line).
const sigAgent = `-- 
Julien CARON
Adjoint à la directrice de la citoyenneté et de la légalité
Préfecture de la Somme
Direction de la citoyenneté et de la légalité
51 rue de la République - 80020 Amiens Cedex 9
Tél. : 03 53 48 12 34
julien.caron@somme.gouv.example

` + disclaimer

// sigAgentOutlook is the same block without the "-- " delimiter, as
// Outlook on the web writes it.
const sigAgentOutlook = `Julien CARON
Adjoint à la directrice de la citoyenneté et de la légalité
Préfecture de la Somme – Direction de la citoyenneté et de la légalité
Tél. : 03 53 48 12 34

` + disclaimer

const sigMaireHangest = `Bernard LEFEBVRE
Maire de Hangest-le-Petit
Mairie – 2 place de l'Église – 80470 Hangest-le-Petit
Tél. : 03 53 48 20 10`

const sigSecHangest = `Martine DUPUIS
Secrétaire de mairie
Mairie de Hangest-le-Petit
Tél. : 03 53 48 20 11 (lundi, mardi, jeudi de 9 h à 12 h)`

const sigSDIS = `Commandant Éric MOREAU
Chef du groupement prévention
Service départemental d'incendie et de secours de la Somme
Tél. : 03 53 48 55 02`

const sigMaireFresnoy = `Isabelle GARNIER
Maire de Fresnoy-sur-Selle
Tél. : 03 53 48 31 40`

const sigCabinet = `Pierre-Yves MARCHAND
Directeur de cabinet adjoint
Préfecture de la Somme – Cabinet du préfet
Tél. : 03 53 48 10 05

` + disclaimer

const sigIntercoBur = `Lucie HENRY
Bureau de l'intercommunalité et du contrôle de légalité
Préfecture de la Somme – DCL
Tél. : 03 53 48 12 57`

const sigDelattre = `Jean-Marc DELATTRE
Président de la communauté de communes du Val de Noye
Tél. : 03 53 48 70 00`
