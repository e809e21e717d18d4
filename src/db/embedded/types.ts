export type EngineName = 'mongod' | 'ferretdb';

/** A database server this process started and must stop. */
export interface EmbeddedDatabase {
  engine: EngineName;
  uri: string;
  dataDir: string;
  stop(): Promise<void>;
}
