// Owned by the exams work: API schemas (requests/responses) shared by server and web.
export {};
