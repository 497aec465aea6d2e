// Owned by the ai work: API schemas (requests/responses) shared by server and web.
export {};
