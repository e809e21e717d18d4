import type { Db, Document } from 'mongodb';
import type { FloorFind } from './floor/queries';

/** How the engine answers a find: from an index, by scanning in the backend, or by scanning in FerretDB itself. */
export interface IndexUse {
  indexed: boolean;
  how: string;
}

/** The parts of a MongoDB plan stage and explain answer the bench reads. */
interface PlanStage {
  stage?: string;
  indexName?: string;
  inputStage?: PlanStage;
  inputStages?: PlanStage[];
}
interface MongoExplain {
  queryPlanner?: { winningPlan?: PlanStage & { queryPlan?: PlanStage } };
  executionStats?: { totalDocsExamined: number; nReturned: number };
}

function planStages(plan: PlanStage | undefined, found: PlanStage[] = []): PlanStage[] {
  if (!plan) return found;
  found.push(plan);
  planStages(plan.inputStage, found);
  for (const stage of plan.inputStages ?? []) planStages(stage, found);
  return found;
}

function mongoIndexUse(explained: MongoExplain): IndexUse {
  const stages = planStages(explained.queryPlanner?.winningPlan?.queryPlan ?? explained.queryPlanner?.winningPlan);
  const indexes = stages.flatMap((stage) => (stage.indexName ? [stage.indexName] : []));
  if (stages.some((stage) => /IDHACK|EXPRESS_IXSCAN/.test(stage.stage ?? '')))
    return { indexed: true, how: 'index _id_' };
  const stats = explained.executionStats;
  // An index that only gives the sort order can still read every document: the counts tell.
  const read = stats ? ` (${stats.totalDocsExamined} documents read for ${stats.nReturned} returned)` : '';
  if (indexes.length && !stages.some((stage) => stage.stage === 'COLLSCAN')) {
    return { indexed: true, how: `index ${[...new Set(indexes)].join(', ')}${read}` };
  }
  return { indexed: false, how: `collection scan${read}` };
}

function ferretIndexUse(explained: Document): IndexUse {
  if (!explained.filterPushdown) {
    return { indexed: false, how: 'filter not pushed down: FerretDB reads the whole collection and filters itself' };
  }
  const plan = JSON.stringify(explained.queryPlanner ?? {});
  const indexScan = /Index (Only )?Scan|Bitmap Index Scan|SEARCH .* USING (INDEX|PRIMARY KEY)/.test(plan);
  return indexScan
    ? { indexed: true, how: 'filter pushed down, index scan in the backend' }
    : { indexed: false, how: 'filter pushed down, sequential scan in the backend' };
}

async function explainFind(db: Db, find: FloorFind, engine: 'mongodb' | 'ferretdb'): Promise<IndexUse> {
  const explained = await db.command({
    explain: {
      find: find.collection,
      filter: find.filter,
      ...(find.sort ? { sort: find.sort } : {}),
      ...(find.limit ? { limit: find.limit } : {}),
    },
    verbosity: engine === 'mongodb' ? 'executionStats' : 'queryPlanner',
  });
  return engine === 'ferretdb' ? ferretIndexUse(explained) : mongoIndexUse(explained);
}

/** Every find of a path, explained; the path is index-served only when all of them are. */
export async function explainPath(db: Db, finds: FloorFind[], engine: 'mongodb' | 'ferretdb'): Promise<IndexUse> {
  const uses = await Promise.all(finds.map((find) => explainFind(db, find, engine)));
  return { indexed: uses.every((use) => use.indexed), how: [...new Set(uses.map((use) => use.how))].join('; ') };
}
