/** Given names of the generated people (some with diacritics, as real directories have). */
export const givenNames: readonly string[] = [
  "Alex", "Sam", "Kim", "Maria", "José", "Wei", "Fatima", "Olga", "John", "Priya", "Noah", "Emma", "Liam", "Ava", "Mateo",
  "Yuki", "Zoe", "Omar", "Lena", "Ivan", "Chloé", "Amara", "Björn", "Aiko", "Diego", "Hannah", "Ravi", "Sofia", "Tomás",
  "Ingrid", "Kwame", "Mei", "Lucas", "Nadia", "Oliver", "Ana", "Mohammed", "Elif", "Sven", "Leila", "Daniel", "Grace",
  "Hiroshi", "Isabel", "Jakub", "Katarzyna", "Lars", "Marta", "Nikolai", "Paula",
];

/** Family names of the generated people. */
export const familyNames: readonly string[] = [
  "Ng", "Smith", "Garcia", "Chen", "Kumar", "Müller", "Rossi", "Kowalski", "Okafor", "Silva", "Tanaka", "Novak", "Haddad",
  "Larsen", "Dubois", "Petrov", "Kim", "Lopez", "Brown", "Nguyen", "Johnson", "Williams", "Jones", "Miller", "Davis",
  "Martinez", "Hernández", "Wilson", "Anderson", "Thomas", "Taylor", "Moore", "Jackson", "Martin", "Lee", "Pérez",
  "Thompson", "White", "Harris", "Sánchez", "Clark", "Ramírez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King",
  "Wright", "Scott", "Torres", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell",
  "Mitchell", "Carter", "Roberts", "Schmidt", "Schneider", "Fischer", "Weber", "Meyer", "Wagner", "Becker", "Hoffmann",
  "Schulz", "Koch", "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Yamamoto", "Watanabe", "Suzuki", "Sato",
  "Ivanova", "Popescu", "Horvat", "Nowak", "Jensen", "Hansen", "Andersson", "Johansson", "Virtanen", "Murphy", "Kelly",
  "O'Brien", "Byrne", "Singh", "Patel", "Shah", "Ali", "Khan",
];

/** Departments, each with the cost centre prefix and the division it belongs to. */
export const departments: readonly { readonly name: string; readonly division: string; readonly costCenter: string }[] = [
  { name: "Engineering", division: "Product", costCenter: "CC-1100" },
  { name: "Platform", division: "Product", costCenter: "CC-1200" },
  { name: "Design", division: "Product", costCenter: "CC-1300" },
  { name: "Sales", division: "Revenue", costCenter: "CC-2100" },
  { name: "Marketing", division: "Revenue", costCenter: "CC-2200" },
  { name: "Customer Success", division: "Revenue", costCenter: "CC-2300" },
  { name: "Support", division: "Operations", costCenter: "CC-3100" },
  { name: "Finance", division: "Operations", costCenter: "CC-3200" },
  { name: "Legal", division: "Operations", costCenter: "CC-3300" },
  { name: "People", division: "Operations", costCenter: "CC-3400" },
  { name: "IT", division: "Operations", costCenter: "CC-3500" },
  { name: "Research", division: "Product", costCenter: "CC-1400" },
];

/** Job titles. */
export const titles: readonly string[] = [
  "Engineer", "Senior Engineer", "Staff Engineer", "Engineering Manager", "Analyst", "Senior Analyst", "Account Executive",
  "Sales Manager", "Designer", "Product Manager", "Support Specialist", "Accountant", "Counsel", "Recruiter",
  "Director", "Vice President", "Coordinator", "Consultant", "Technician", "Administrator",
];

/** Office locations as SCIM address parts (RFC 7643 §4.1.2). */
export const offices: readonly { readonly street: string; readonly locality: string; readonly region: string; readonly postalCode: string; readonly country: string; readonly phonePrefix: string; readonly language: string }[] = [
  { street: "1 Market Street", locality: "San Francisco", region: "CA", postalCode: "94105", country: "US", phonePrefix: "+1 415 555", language: "en-US" },
  { street: "350 Fifth Avenue", locality: "New York", region: "NY", postalCode: "10118", country: "US", phonePrefix: "+1 212 555", language: "en-US" },
  { street: "Karl Johans gate 22", locality: "Oslo", region: "Oslo", postalCode: "0159", country: "NO", phonePrefix: "+47 22 55", language: "nb-NO" },
  { street: "Friedrichstraße 68", locality: "Berlin", region: "Berlin", postalCode: "10117", country: "DE", phonePrefix: "+49 30 555", language: "de-DE" },
  { street: "10 Rue de Rivoli", locality: "Paris", region: "Île-de-France", postalCode: "75004", country: "FR", phonePrefix: "+33 1 55", language: "fr-FR" },
  { street: "2-7-1 Marunouchi", locality: "Tokyo", region: "Tokyo", postalCode: "100-0005", country: "JP", phonePrefix: "+81 3 555", language: "ja-JP" },
  { street: "MG Road 45", locality: "Bengaluru", region: "Karnataka", postalCode: "560001", country: "IN", phonePrefix: "+91 80 555", language: "en-IN" },
  { street: "Avenida Paulista 1000", locality: "São Paulo", region: "SP", postalCode: "01310-100", country: "BR", phonePrefix: "+55 11 555", language: "pt-BR" },
];

/** Words group names are made of. */
export const groupWords: readonly string[] = [
  "Team", "Project", "Committee", "Guild", "Squad", "Council", "Chapter", "Working Group", "Crew", "Circle",
];

/** Email domains of the generated tenant (work addresses) and of home addresses. */
export const workDomains: readonly string[] = ["contoso.example", "emea.contoso.example", "apac.contoso.example", "contractors.contoso.example"];
export const homeDomains: readonly string[] = ["mail.example", "post.example", "inbox.example"];
