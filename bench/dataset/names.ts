/** Given names and surnames as a European and American contact centre sees them: accents, apostrophes, hyphens. */
// prettier-ignore
export const firstNames = [
  'José', 'María', 'François', 'Zoë', 'Jürgen', 'Björn', 'Chloé', 'Renée', 'Søren', 'Łukasz', 'Mónica', 'Inés',
  'Noël', 'Ana', 'John', 'Mary', 'James', 'Patricia', 'Robert', 'Jennifer', 'Michael', 'Linda', 'David', 'Elizabeth',
  'William', 'Barbara', 'Richard', 'Susan', 'Joseph', 'Jessica', 'Thomas', 'Sarah', 'Charles', 'Karen', 'Ahmed',
  'Fatima', 'Mohammed', 'Aïsha', 'Wei', 'Mei', 'Hiroshi', 'Yuki', 'Olga', 'Dmitri', 'Ingrid', 'Håkon', 'Siobhán',
  'Seán', 'Éloïse', 'Anaïs', 'Jean-Luc', 'Marie-Claire', 'Günter', 'Käthe', 'Dolores', 'Ramón', 'Tomás', 'Zoltán',
  'Agnieszka', 'Jiří', 'Nuño', 'Leïla', 'Ömer', 'Çağla', 'Paul', 'Laura', 'Daniel', 'Emma', 'Lucas', 'Léa',
] as const;

// prettier-ignore
export const lastNames = [
  'Müller', 'García', 'Núñez', "O'Brien", 'Smith', 'Nguyễn', 'Dvořák', 'López', 'Ångström', 'Jensen', 'Kowalski',
  'Fernández', 'Martín', 'Lefèvre', 'Schäfer', 'Brontë', 'Johnson', 'Williams', 'Brown', 'Jones', 'Miller', 'Davis',
  'Rodríguez', 'Martínez', 'Hernández', 'González', 'Wilson', 'Anderson', 'Thomas', 'Taylor', 'Moore', 'Jackson',
  'Lee', 'Pérez', 'Thompson', 'White', 'Harris', 'Sánchez', 'Clark', 'Ramírez', 'Lewis', 'Robinson', 'Walker',
  'Zhang', 'Kim', 'Silva', 'Gonçalves', 'Costa', 'Öztürk', 'Yılmaz', 'Weiß', 'Schröder', 'Dubois', 'Moreau',
  'Girard', 'Bönninghausen', 'Van der Berg', 'De la Cruz', 'Smith-Jones', 'MacDonald', "D'Angelo", 'Rossi',
  'Russo', 'Ferrari', 'Esposito', 'Bianchi', 'Romano', 'Novák', 'Svoboda', 'Horváth', 'Nagy', 'Wójcik',
] as const;

// prettier-ignore
export const cities = [
  'Paris', 'Lyon', 'Marseille', 'München', 'Köln', 'Zürich', 'Genève', 'Málaga', 'Córdoba', 'São Paulo',
  'New York', 'San Francisco', 'Chicago', 'Boston', 'Austin', 'Seattle', 'London', 'Manchester', 'Kraków', 'Łódź',
  'Göteborg', 'Malmö', 'Reykjavík', 'Montréal', 'Québec', 'Toronto', 'Dublin', 'Lisboa', 'Porto', 'Milano',
] as const;

// prettier-ignore
export const companies = [
  'Acme Corp', 'Globex', 'Initech', 'Umbrella Logistics', 'Soylent Foods', 'Müller & Söhne GmbH', 'Café Crème SARL',
  'Hooli', 'Vandelay Industries', 'Stark Trading', 'Wayne Enterprises', 'Société Générale de Transport',
  'Nordisk Energi AS', 'Construcciones Peña', 'Łączność Sp. z o.o.',
] as const;

// prettier-ignore
export const noteFragments = [
  'Prefers a call back in the morning.', 'Asked about the premium plan.', 'Complained about a late delivery.',
  'Speaks French and English.', 'Renewal due next quarter.', 'Do not call after 6 pm.', 'VIP: route to senior team.',
  'Disputed the last invoice; resolved with a credit note.', 'Interested in the annual contract.',
] as const;
